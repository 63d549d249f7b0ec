namespace DiyMl.Domain.Common;

public static class BlobStoreExtensions
{
    /// <summary>A blob's whole content, or null when it is not stored: the one blob-to-bytes reader.</summary>
    public static async Task<byte[]?> ReadAllBytesAsync(this IBlobStore blobs, string sha256, CancellationToken ct = default)
    {
        await using var stream = await blobs.OpenReadAsync(sha256, ct);
        if (stream is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
