using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Storage;
using DiyMl.Infrastructure.Storage.Mongo;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;

namespace DiyMl.Infrastructure.Tests.Storage;

/// <summary>
/// The contract on the Mongo engine, over the wire: against CongoDB, or against the real MongoDB
/// named by MONGO_TEST_URL. Each test gets its own database.
/// </summary>
public sealed class MongoStorageContractTests(MongoTestServer server) : StorageContract
{
    private readonly TempDirectory _spool = new();
    private MongoEngine? _engine;

    protected override string? UniqueIndexSkipReason =>
        MongoTestServer.IsRealMongo ? null : "CongoDB does not enforce secondary unique indexes";

    protected override async Task<(IStorageEngine Engine, IBlobStore Blobs)> OpenAsync()
    {
        var url = await server.GetUrlForDatabaseAsync("diyml_test_" + Guid.NewGuid().ToString("N")[..12]);
        _engine = new MongoEngine(url, "unused", TimeSpan.FromSeconds(10));
        return (_engine, new GridFsBlobStore(_engine.Database, _spool.Path, Clock));
    }

    protected override async ValueTask CloseAsync()
    {
        if (_engine is not null)
        {
            await _engine.Database.Client.DropDatabaseAsync(_engine.Database.DatabaseNamespace.DatabaseName);
            _engine.Dispose();
        }

        Assert.Empty(Directory.GetFiles(_spool.Path)); // spooled uploads never linger
        _spool.Dispose();
    }

    protected override async Task<int> CountStoredCopiesAsync(string sha256)
    {
        var bucket = new GridFSBucket(_engine!.Database, new GridFSBucketOptions { BucketName = "blobs" });
        using var cursor = await bucket.FindAsync(Builders<GridFSFileInfo>.Filter.Eq(f => f.Filename, sha256));
        return (await cursor.ToListAsync()).Count;
    }
}
