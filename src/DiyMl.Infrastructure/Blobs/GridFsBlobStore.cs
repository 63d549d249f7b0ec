using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using DiyMl.Domain.Common;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;

namespace DiyMl.Infrastructure.Blobs;

/// <summary>
/// Blobs in GridFS (bucket <c>blobs</c>), the file name being the SHA-256 of the content. The
/// hash is only known at the end of the stream, so content is spooled to a temporary file while
/// it is hashed (a 20 MB upload never sits whole in memory). A blob's "last written" time is
/// <c>metadata.touchedAt</c> on its file entry: a put of content already stored sets it (one
/// atomic update) instead of trusting the entry, and uploads only when no entry matched. GridFS
/// writes the chunks before the file entry, so a crash mid-upload never leaves a blob that looks
/// complete, only chunks the sweeper removes.
/// </summary>
public sealed class GridFsBlobStore : IBlobStore, ISweepableBlobStore
{
    private const int BufferSize = 81920;
    private const string DoomedPrefix = "doomed-";
    private const string TouchedAt = "metadata.touchedAt";
    private readonly GridFSBucket _bucket;
    private readonly IMongoCollection<BsonDocument> _files;
    private readonly IMongoCollection<BsonDocument> _chunks;
    private readonly string _spoolDirectory;
    private readonly TimeProvider _clock;

    public GridFsBlobStore(IMongoDatabase database, string spoolDirectory, TimeProvider? clock = null)
    {
        _bucket = new GridFSBucket(database, new GridFSBucketOptions { BucketName = "blobs" });
        _files = database.GetCollection<BsonDocument>("blobs.files");
        _chunks = database.GetCollection<BsonDocument>("blobs.chunks");
        _spoolDirectory = spoolDirectory;
        _clock = clock ?? TimeProvider.System;
        Directory.CreateDirectory(spoolDirectory);
    }

    public async Task<BlobInfo> PutAsync(Stream content, CancellationToken ct = default)
    {
        var path = Path.Combine(_spoolDirectory, SpoolNames.New(_clock));
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
        if (!await TouchAsync(sha, ct))
        {
            spool.Position = 0;
            var options = new GridFSUploadOptions { Metadata = new BsonDocument("touchedAt", Now()) };
            await _bucket.UploadFromStreamAsync(sha, spool, options, ct);
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

        return await _files.Find(Builders<BsonDocument>.Filter.Eq("filename", sha256)).Limit(1).AnyAsync(ct);
    }

    public Task<bool> RetainAsync(string sha256, CancellationToken ct = default) =>
        FileBlobStore.IsSha(sha256) ? TouchAsync(sha256, ct) : Task.FromResult(false);

    public async IAsyncEnumerable<StoredBlob> ListAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var entries = await _files.Find(FilterNotDoomed()).ToListAsync(ct);
        foreach (var entry in entries)
        {
            var name = entry.GetValue("filename", "").AsString;
            if (FileBlobStore.IsSha(name))
            {
                yield return new StoredBlob(name, LastWritten(entry), entry["_id"].ToString()!);
            }
        }
    }

    /// <summary>
    /// Renames the entry aside only if its <c>touchedAt</c> is still the one listed (one atomic
    /// update): a put that touched it first makes the rename miss, and a put after the rename
    /// matches no entry and uploads its own copy. Only then are entry and chunks deleted.
    /// </summary>
    public async Task<bool> TryDeleteUntouchedAsync(StoredBlob blob, CancellationToken ct)
    {
        var id = ObjectId.Parse(blob.Handle);
        var f = Builders<BsonDocument>.Filter;
        var unchanged = f.Eq("_id", id) & f.Eq("filename", blob.Sha256) & (blob.LastWrittenUtc == DateTime.MinValue
            ? f.Exists(TouchedAt, false)
            : f.Eq(TouchedAt, new BsonDateTime(blob.LastWrittenUtc)));
        var renamed = await _files.UpdateOneAsync(unchanged, Builders<BsonDocument>.Update.Set("filename", DoomedPrefix + blob.Sha256), cancellationToken: ct);
        if (renamed.ModifiedCount == 0)
        {
            return false;
        }

        await DeleteEntryAsync(id, ct);
        return true;
    }

    public async Task<int> RemoveInterruptedAsync(DateTime before, CancellationToken ct)
    {
        var f = Builders<BsonDocument>.Filter;

        // A crash between rename and delete: put the entry back, the next sweep decides again.
        var doomed = await _files.Find(f.Regex("filename", new BsonRegularExpression("^" + DoomedPrefix))).ToListAsync(ct);
        foreach (var entry in doomed)
        {
            var sha = entry["filename"].AsString[DoomedPrefix.Length..];
            await _files.UpdateOneAsync(f.Eq("_id", entry["_id"]), Builders<BsonDocument>.Update.Set("filename", sha).Set(TouchedAt, Now()), cancellationToken: ct);
        }

        // Chunks of an upload that never wrote its file entry. Chunk 0 is written first, so it
        // names every upload; the ObjectId says when it began (uploads in progress are recent).
        var entries = (await _files.Find(FilterDefinition<BsonDocument>.Empty).Project(Builders<BsonDocument>.Projection.Include("_id")).ToListAsync(ct))
            .Select(e => e["_id"]).ToHashSet();
        var firstChunks = await _chunks.Find(f.Eq("n", 0)).Project(Builders<BsonDocument>.Projection.Include("files_id")).ToListAsync(ct);
        var removed = 0;
        foreach (var upload in firstChunks.Select(c => c["files_id"]).Distinct())
        {
            if (!entries.Contains(upload) && upload is BsonObjectId oid && oid.Value.CreationTime < before)
            {
                await _chunks.DeleteManyAsync(f.Eq("files_id", upload), ct);
                removed++;
            }
        }

        foreach (var path in Directory.EnumerateFiles(_spoolDirectory))
        {
            if (SpoolNames.BegunBefore(Path.GetFileName(path), before))
            {
                File.Delete(path); // a spool file a crash kept from its DeleteOnClose
                removed++;
            }
        }

        return removed;
    }

    private async Task<bool> TouchAsync(string sha, CancellationToken ct)
    {
        var touched = await _files.UpdateManyAsync(
            Builders<BsonDocument>.Filter.Eq("filename", sha),
            Builders<BsonDocument>.Update.Set(TouchedAt, Now()),
            cancellationToken: ct);
        return touched.MatchedCount > 0;
    }

    private async Task DeleteEntryAsync(ObjectId id, CancellationToken ct)
    {
        try
        {
            await _bucket.DeleteAsync(id, ct);
        }
        catch (GridFSFileNotFoundException)
        {
            // Deleted concurrently by another instance's sweep: the outcome is the one asked for.
        }
    }

    private static FilterDefinition<BsonDocument> FilterNotDoomed() =>
        Builders<BsonDocument>.Filter.Not(Builders<BsonDocument>.Filter.Regex("filename", new BsonRegularExpression("^" + DoomedPrefix)));

    // Entries written before touchedAt existed count as never touched (MinValue), which the
    // compare-and-set above matches as "field absent".
    private static DateTime LastWritten(BsonDocument entry) =>
        entry.GetValue("metadata", new BsonDocument()) is BsonDocument meta && meta.TryGetValue("touchedAt", out var at) && at.IsValidDateTime
            ? at.ToUniversalTime()
            : DateTime.MinValue;

    private BsonDateTime Now() => new(_clock.GetUtcNow().UtcDateTime);
}
