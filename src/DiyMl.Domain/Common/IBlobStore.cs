namespace DiyMl.Domain.Common;

/// <summary>
/// Content-addressed bytes: a blob is named by the lower-case hex SHA-256 of its content.
/// There is deliberately no delete here: blobs are shared by content, so no single user of a blob
/// may remove it. A blob goes only when the sweeper finds no reference to it for the grace period
/// (see <see cref="IBlobReferenceSource"/>).
/// </summary>
public interface IBlobStore
{
    /// <summary>
    /// Stores the stream (once per content) and returns its SHA-256 and length. Storing content
    /// that is already there refreshes the blob's "last written" time, so the sweeper leaves it
    /// alone for a full grace period: a caller that saves a reference within that period after
    /// the put can never end up pointing at a deleted blob.
    /// </summary>
    Task<BlobInfo> PutAsync(Stream content, CancellationToken ct = default);

    Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct = default);

    Task<bool> ExistsAsync(string sha256, CancellationToken ct = default);

    /// <summary>
    /// Refreshes the "last written" time of a blob that is about to get a new reference without
    /// being put again (e.g. a copy of an existing image). False when the blob is not stored (any
    /// more): then the caller must put the content itself.
    /// </summary>
    Task<bool> RetainAsync(string sha256, CancellationToken ct = default);
}

public sealed record BlobInfo(string Sha256, long Length);
