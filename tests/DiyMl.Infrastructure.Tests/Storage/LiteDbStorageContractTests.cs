using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Storage;
using DiyMl.Infrastructure.Storage.LiteDb;

namespace DiyMl.Infrastructure.Tests.Storage;

/// <summary>The contract on the embedded engine, in a fresh data directory per test.</summary>
public sealed class LiteDbStorageContractTests : StorageContract
{
    private readonly TempDirectory _dir = new();
    private LiteDbEngine? _engine;

    protected override Task<(IStorageEngine Engine, IBlobStore Blobs)> OpenAsync()
    {
        _engine = new LiteDbEngine(_dir.Path);
        return Task.FromResult<(IStorageEngine, IBlobStore)>((_engine, new FileBlobStore(_dir.Path, Clock)));
    }

    protected override ValueTask CloseAsync()
    {
        _engine?.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override Task<int> CountStoredCopiesAsync(string sha256) =>
        Task.FromResult(Directory.GetFiles(Path.Combine(_dir.Path, "blobs"), sha256, SearchOption.AllDirectories).Length);
}
