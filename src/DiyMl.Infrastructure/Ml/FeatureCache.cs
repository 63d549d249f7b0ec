using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Ml;

/// <summary>Features of one image (by content) from one featurizer version, mirrored or not.</summary>
public sealed class CachedFeatures : Entity
{
    public string Sha256 { get; set; } = "";

    public string Featurizer { get; set; } = "";

    public bool Flip { get; set; }

    public byte[] Features { get; set; } = [];
}

/// <summary>
/// Remembers ResNet features per (image SHA-256, featurizer version, flip) so retraining on the
/// same images skips the network. The document id is derived from the key, so a lookup is a get
/// by id on every engine and two jobs caching the same image cannot create two entries.
/// </summary>
public sealed class FeatureCache(IStorageEngine storage)
{
    private readonly IDocumentCollection<CachedFeatures> _collection = storage.Collection<CachedFeatures>("feature_cache");

    public async Task<float[]?> GetAsync(string sha256, string featurizer, bool flip, CancellationToken ct)
    {
        var entry = await _collection.GetAsync(IdFor(sha256, featurizer, flip), ct);
        if (entry is null || entry.Sha256 != sha256 || entry.Featurizer != featurizer || entry.Flip != flip || entry.Features.Length % sizeof(float) != 0)
        {
            return null;
        }

        return MemoryMarshal.Cast<byte, float>(entry.Features).ToArray();
    }

    public async Task PutAsync(string sha256, string featurizer, bool flip, float[] features, CancellationToken ct)
    {
        try
        {
            await _collection.InsertAsync(Entry(sha256, featurizer, flip, features), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Another job cached the same image first (duplicate id); its features are identical.
            // A cache that cannot be written only costs time, never correctness.
        }
    }

    /// <summary>
    /// Caches several images' features of one space in one insert; when that fails (another job
    /// cached one of them first), each is cached on its own. Never throws but for cancellation.
    /// </summary>
    public async Task PutManyAsync(IReadOnlyList<(string Sha256, bool Flip, float[] Features)> entries, string featurizer, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }

        try
        {
            await _collection.InsertManyAsync([.. entries.DistinctBy(e => (e.Sha256, e.Flip)).Select(e => Entry(e.Sha256, featurizer, e.Flip, e.Features))], ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var (sha256, flip, features) in entries)
            {
                await PutAsync(sha256, featurizer, flip, features, ct);
            }
        }
    }

    /// <summary>Drops the entries of images no longer stored (retention sweep); returns how many.</summary>
    public async Task<int> RemoveExceptAsync(IReadOnlySet<string> liveSha256, CancellationToken ct)
    {
        var removed = 0;
        foreach (var entry in await _collection.FindAsync(_ => true, null, ct))
        {
            if (!liveSha256.Contains(entry.Sha256) && await _collection.DeleteAsync(entry.Id, ct))
            {
                removed++;
            }
        }

        return removed;
    }

    private static CachedFeatures Entry(string sha256, string featurizer, bool flip, float[] features) => new()
    {
        Id = IdFor(sha256, featurizer, flip),
        Sha256 = sha256,
        Featurizer = featurizer,
        Flip = flip,
        Features = MemoryMarshal.AsBytes(features.AsSpan()).ToArray(),
    };

    // 24 hex characters, the shape every engine accepts as an id.
    internal static string IdFor(string sha256, string featurizer, bool flip)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{sha256}|{featurizer}|{(flip ? 1 : 0)}"));
        return Convert.ToHexStringLower(hash)[..24];
    }
}
