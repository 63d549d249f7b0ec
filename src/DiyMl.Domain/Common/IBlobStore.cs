namespace DiyMl.Domain.Common;

/// <summary>Content-addressed bytes: a blob is named by the lower-case hex SHA-256 of its content.</summary>
public interface IBlobStore
{
    /// <summary>Stores the stream (once per content) and returns its SHA-256 and length.</summary>
    Task<BlobInfo> PutAsync(Stream content, CancellationToken ct = default);

    Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct = default);

    Task<bool> ExistsAsync(string sha256, CancellationToken ct = default);

    Task DeleteAsync(string sha256, CancellationToken ct = default);
}

public sealed record BlobInfo(string Sha256, long Length);
