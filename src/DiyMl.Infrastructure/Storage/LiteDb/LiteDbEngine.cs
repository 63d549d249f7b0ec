using DiyMl.Domain.Common;
using LiteDB;

namespace DiyMl.Infrastructure.Storage.LiteDb;

/// <summary>
/// The embedded default: one LiteDB file in direct mode under the data directory. Direct mode
/// takes no file lock of its own, so the engine holds an exclusive lock on the directory for its
/// whole life; a second process on the same directory refuses to start.
/// </summary>
public sealed class LiteDbEngine : IStorageEngine, IDisposable
{
    private readonly LiteDatabase _db;
    private readonly DataDirectoryLock _lock;

    // One process owns the file (see the directory lock), so compare-and-set only has to be
    // atomic among this process's threads. LiteDB transactions are bound to a thread; a plain
    // monitor held around the synchronous read-compare-write is both simpler and correct.
    private readonly Lock _casGate = new();

    public LiteDbEngine(string dataDirectory)
    {
        DataFilePermissions.EnsurePrivateDirectory(dataDirectory);
        _lock = DataDirectoryLock.Acquire(dataDirectory);
        try
        {
            var file = Path.Combine(dataDirectory, "diyml.db");
            _db = new LiteDatabase($"Filename={file};Connection=direct;Auto-Rebuild=true", CreateMapper());
            DataFilePermissions.MakePrivate(file, Path.Combine(dataDirectory, "diyml-log.db"), Path.Combine(dataDirectory, ".lock"));
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
    }

    public string Engine => "LiteDb";

    public IDocumentCollection<T> Collection<T>(string name) where T : Entity =>
        new LiteDbCollection<T>(_db.GetCollection<T>(name), _casGate);

    public Task<(bool Healthy, string? Reason)> CheckAsync(CancellationToken ct = default)
    {
        try
        {
            _ = _db.GetCollectionNames().Count();
            return Task.FromResult<(bool, string?)>((true, null));
        }
        catch (Exception ex) when (ex is LiteException or IOException or ObjectDisposedException)
        {
            return Task.FromResult<(bool, string?)>((false, $"LiteDB is not usable: {ex.Message}"));
        }
    }

    public void Dispose()
    {
        _db.Dispose();
        _lock.Dispose();
    }

    private static BsonMapper CreateMapper()
    {
        var mapper = new BsonMapper { EnumAsInteger = false };

        // LiteDB hands DateTime back as local time; everything in DIY ML is UTC.
        mapper.RegisterType(
            serialize: value => new BsonValue(value.ToUniversalTime()),
            deserialize: bson => bson.AsDateTime.ToUniversalTime());
        return mapper;
    }
}
