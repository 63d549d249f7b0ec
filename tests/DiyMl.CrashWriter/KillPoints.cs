using System.Linq.Expressions;
using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Storage;

/// <summary>
/// Makes every write of the edit a point where this process may die: once armed, the write the
/// crash test picked at random (<see cref="KillAfter"/>) is followed by a SIGKILL of the process
/// itself, so the kill lands exactly between two writes, whatever the machine's load.
/// </summary>
internal static class KillPoints
{
    private static int _writes;

    public static bool Armed { get; set; }

    /// <summary>0 lets the edit run to the end (the test then learns how many writes it makes).</summary>
    public static int KillAfter { get; set; }

    public static int Writes => _writes;

    public static void Pass()
    {
        if (Armed && Interlocked.Increment(ref _writes) == KillAfter)
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            self.Kill(); // SIGKILL on Unix: no finally blocks, no flush, no dispose
        }
    }
}

internal sealed class GatedEngine(IStorageEngine inner) : IStorageEngine
{
    public string Engine => inner.Engine;

    public Task<(bool Healthy, string? Reason)> CheckAsync(CancellationToken ct = default) => inner.CheckAsync(ct);

    public IDocumentCollection<T> Collection<T>(string name) where T : Entity => new GatedCollection<T>(inner.Collection<T>(name));
}

internal sealed class GatedCollection<T>(IDocumentCollection<T> inner) : IDocumentCollection<T> where T : Entity
{
    public Task<T?> GetAsync(string id, CancellationToken ct = default) => inner.GetAsync(id, ct);

    public Task<IReadOnlyList<T>> FindAsync(Expression<Func<T, bool>> filter, FindOptions<T>? options = null, CancellationToken ct = default) =>
        inner.FindAsync(filter, options, ct);

    public Task<long> CountAsync(Expression<Func<T, bool>> filter, CancellationToken ct = default) => inner.CountAsync(filter, ct);

    public async Task InsertAsync(T document, CancellationToken ct = default)
    {
        await inner.InsertAsync(document, ct);
        KillPoints.Pass();
    }

    public async Task InsertManyAsync(IReadOnlyCollection<T> documents, CancellationToken ct = default)
    {
        await inner.InsertManyAsync(documents, ct);
        KillPoints.Pass();
    }

    public async Task<bool> ReplaceAsync(T document, CancellationToken ct = default)
    {
        var replaced = await inner.ReplaceAsync(document, ct);
        KillPoints.Pass();
        return replaced;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        var deleted = await inner.DeleteAsync(id, ct);
        KillPoints.Pass();
        return deleted;
    }

    public async Task<long> DeleteManyAsync(Expression<Func<T, bool>> filter, CancellationToken ct = default)
    {
        var deleted = await inner.DeleteManyAsync(filter, ct);
        KillPoints.Pass();
        return deleted;
    }

    public Task EnsureIndexAsync(Expression<Func<T, object?>> field, bool unique = false, CancellationToken ct = default) =>
        inner.EnsureIndexAsync(field, unique, ct);
}

internal sealed class GatedBlobStore(IBlobStore inner) : IBlobStore
{
    public async Task<BlobInfo> PutAsync(Stream content, CancellationToken ct = default)
    {
        var info = await inner.PutAsync(content, ct);
        KillPoints.Pass();
        return info;
    }

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct = default) => inner.OpenReadAsync(sha256, ct);

    public Task<bool> ExistsAsync(string sha256, CancellationToken ct = default) => inner.ExistsAsync(sha256, ct);

    public Task<bool> RetainAsync(string sha256, CancellationToken ct = default) => inner.RetainAsync(sha256, ct);
}
