using System.Security.Cryptography;
using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// The one place where an upload writes blobs, and what it does when it fails half-way: nothing
/// inline. Blobs are shared by content, so deleting "our" blob could pull it from under a
/// concurrent upload of the same bytes (the race issue 10 reproduced). The documents the upload
/// saved are removed by the session; their blobs then have no reference and the blob sweeper
/// reclaims them after the grace period, with its compare-and-set delete.
/// </summary>
public sealed class WrittenBlobs(IBlobStore blobs)
{
    private readonly List<string> _written = [];
    private readonly Lock _gate = new();

    /// <summary>Stores the bytes (a put always refreshes an existing blob, so it is never trusted stale).</summary>
    public async Task<string> PutAsync(byte[] content, CancellationToken ct)
    {
        string sha;
        using (var stream = new MemoryStream(content, writable: false))
        {
            sha = (await blobs.PutAsync(stream, ct)).Sha256;
        }

        lock (_gate)
        {
            _written.Add(sha);
        }

        return sha;
    }

    /// <summary>Forgets what was written: the sweeper reclaims whatever no document refers to.</summary>
    public Task RollBackAsync()
    {
        lock (_gate)
        {
            _written.Clear();
        }

        return Task.CompletedTask;
    }
}
