namespace DiyMl.Infrastructure.Blobs;

/// <summary>One stored copy of a blob as the sweeper saw it; <see cref="Handle"/> names that copy.</summary>
public sealed record StoredBlob(string Sha256, DateTime LastWrittenUtc, string Handle);

/// <summary>
/// What the sweeper needs from a blob store, and nothing else may use: listing, a delete that is
/// compare-and-set on the "last written" time the sweeper saw, and clean-up of interrupted writes.
/// </summary>
public interface ISweepableBlobStore
{
    IAsyncEnumerable<StoredBlob> ListAsync(CancellationToken ct);

    /// <summary>
    /// Deletes the copy only if nobody put or retained it since <paramref name="blob"/> was listed;
    /// false (and the blob kept) otherwise.
    /// </summary>
    Task<bool> TryDeleteUntouchedAsync(StoredBlob blob, CancellationToken ct);

    /// <summary>
    /// Puts back blobs a crash left set aside mid-delete (the next sweep decides again) and removes
    /// partial writes begun before <paramref name="before"/>. Returns how many partial writes went.
    /// </summary>
    Task<int> RemoveInterruptedAsync(DateTime before, CancellationToken ct);
}
