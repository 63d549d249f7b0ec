using System.Security.Cryptography;
using DiyMl.Domain.Common;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;

namespace DiyMl.Infrastructure.Blobs;

/// <summary>
/// Blobs in GridFS (bucket <c>blobs</c>), the file name being the SHA-256 of the content. The
/// hash is only known at the end of the stream, so content is spooled to a temporary file while
/// it is hashed (a 20 MB upload never sits whole in memory) and uploaded only when absent.
/// GridFS writes the chunks before the file entry, so a crash mid-upload never leaves a blob
/// that looks complete.
/// </summary>
public sealed class GridFsBlobStore : IBlobStore
{
    private const int BufferSize = 81920;
    private readonly GridFSBucket _bucket;
    private readonly string _spoolDirectory;

    public GridFsBlobStore(IMongoDatabase database, string spoolDirectory)
    {
        _bucket = new GridFSBucket(database, new GridFSBucketOptions { BucketName = "blobs" });
        _spoolDirectory = spoolDirectory;
        Directory.CreateDirectory(spoolDirectory);
    }

    public async Task<BlobInfo> PutAsync(Stream content, CancellationToken ct = default)
    {
        var path = Path.Combine(_spoolDirectory, Guid.NewGuid().ToString("N"));
        await using var spool = new FileStream(
            path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long length = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await spool.WriteAsync(buffer.AsMemory(0, read), ct);
            length += read;
        }

        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (!await ExistsAsync(sha, ct))
        {
            spool.Position = 0;
            await _bucket.UploadFromStreamAsync(sha, spool, cancellationToken: ct);
        }

        return new BlobInfo(sha, length);
    }

    public async Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct = default)
    {
        if (!FileBlobStore.IsSha(sha256))
        {
            return null;
        }

        try
        {
            return await _bucket.OpenDownloadStreamByNameAsync(sha256, new GridFSDownloadByNameOptions { Seekable = true }, ct);
        }
        catch (GridFSFileNotFoundException)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string sha256, CancellationToken ct = default)
    {
        if (!FileBlobStore.IsSha(sha256))
        {
            return false;
        }

        var filter = Builders<GridFSFileInfo>.Filter.Eq(f => f.Filename, sha256);
        using var cursor = await _bucket.FindAsync(filter, new GridFSFindOptions { Limit = 1 }, ct);
        return await cursor.AnyAsync(ct);
    }

    /// <summary>Removes every copy: two instances racing to store the same new content may both upload it.</summary>
    public async Task DeleteAsync(string sha256, CancellationToken ct = default)
    {
        if (!FileBlobStore.IsSha(sha256))
        {
            return;
        }

        var filter = Builders<GridFSFileInfo>.Filter.Eq(f => f.Filename, sha256);
        using var cursor = await _bucket.FindAsync(filter, cancellationToken: ct);
        foreach (var file in await cursor.ToListAsync(ct))
        {
            try
            {
                await _bucket.DeleteAsync(file.Id, ct);
            }
            catch (GridFSFileNotFoundException)
            {
                // Deleted concurrently: the outcome is the one asked for.
            }
        }
    }
}
