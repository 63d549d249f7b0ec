using System.Security.Cryptography;
using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// The one place where an upload writes blobs and takes them back when it fails half-way. Blobs are
/// shared by content, so only a blob this upload created (it did not exist before the write) is
/// a candidate, and it is deleted only while no image document uses it. When the blob-reference
/// service (reference + grace period + sweeper) lands, <see cref="PutAsync"/> and
/// <see cref="RollBackAsync"/> are the two calls to route through it.
/// </summary>
public sealed class WrittenBlobs(IBlobStore blobs, IImageStore images)
{
    private readonly List<string> _created = [];
    private readonly Lock _gate = new();

    /// <summary>Stores the bytes; remembers the blob when this call created it.</summary>
    public async Task<string> PutAsync(byte[] content, CancellationToken ct)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var existed = await blobs.ExistsAsync(sha, ct);
        using (var stream = new MemoryStream(content, writable: false))
        {
            await blobs.PutAsync(stream, ct);
        }

        if (!existed)
        {
            lock (_gate)
            {
                _created.Add(sha);
            }
        }

        return sha;
    }

    /// <summary>Deletes what this upload created and nothing uses; never throws, the failure that caused it matters more.</summary>
    public async Task RollBackAsync()
    {
        string[] created;
        lock (_gate)
        {
            created = [.. _created];
            _created.Clear();
        }

        foreach (var sha in created)
        {
            try
            {
                if (await images.CountBlobReferencesAsync(sha, CancellationToken.None) == 0)
                {
                    await blobs.DeleteAsync(sha, CancellationToken.None);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // left for the sweeper of unreferenced blobs
            }
        }
    }
}
