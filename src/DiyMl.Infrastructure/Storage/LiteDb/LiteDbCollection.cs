using System.Linq.Expressions;
using DiyMl.Domain.Common;
using LiteDB;

namespace DiyMl.Infrastructure.Storage.LiteDb;

/// <summary>LiteDB is synchronous; each call completes before its task is returned.</summary>
internal sealed class LiteDbCollection<T>(ILiteCollection<T> collection, Lock casGate) : IDocumentCollection<T>
    where T : Entity
{
    // Every call goes through one gate. Reads are included because LiteDB was seen to hand a
    // reader a torn multi-page document while another thread updated it (a rollup's total from
    // the new version, a class count from the old); the compare-and-set then wrote that back.
    public Task<T?> GetAsync(string id, CancellationToken ct = default)
    {
        lock (casGate)
        {
            return Task.FromResult<T?>(collection.FindById(new BsonValue(id)));
        }
    }

    public Task<IReadOnlyList<T>> FindAsync(Expression<Func<T, bool>> filter, FindOptions<T>? options = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var query = collection.Query().Where(ClosureEvaluator.Evaluate(filter));
        if (options?.OrderBy is { } orderBy)
        {
            orderBy = ClosureEvaluator.Evaluate(orderBy);
            query = options.Descending ? query.OrderByDescending(orderBy) : query.OrderBy(orderBy);
        }

        if (options?.Limit is <= 0)
        {
            return Task.FromResult<IReadOnlyList<T>>([]);
        }

        var result = query.Skip(Math.Max(0, options?.Skip ?? 0));
        lock (casGate)
        {
            var list = options?.Limit is { } limit ? result.Limit(limit).ToList() : result.ToList();
            return Task.FromResult<IReadOnlyList<T>>(list);
        }
    }

    public Task<long> CountAsync(Expression<Func<T, bool>> filter, CancellationToken ct = default)
    {
        lock (casGate)
        {
            return Task.FromResult(collection.LongCount(ClosureEvaluator.Evaluate(filter)));
        }
    }

    public Task InsertAsync(T document, CancellationToken ct = default)
    {
        document.Version = 1;
        try
        {
            lock (casGate)
            {
                collection.Insert(document);
            }
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            throw Duplicate();
        }

        return Task.CompletedTask;
    }

    public Task InsertManyAsync(IReadOnlyCollection<T> documents, CancellationToken ct = default)
    {
        foreach (var document in documents)
        {
            document.Version = 1;
        }

        try
        {
            lock (casGate)
            {
                collection.InsertBulk(documents);
            }
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            throw Duplicate();
        }

        return Task.CompletedTask;
    }

    public Task<bool> ReplaceAsync(T document, CancellationToken ct = default)
    {
        lock (casGate)
        {
            var stored = collection.Query().Where(x => x.Id == document.Id).Select(x => x.Version).FirstOrDefault();
            if (stored == 0 || stored != document.Version)
            {
                return Task.FromResult(false);
            }

            document.Version++;
            try
            {
                if (collection.Update(document))
                {
                    return Task.FromResult(true);
                }
            }
            catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
            {
                document.Version--;
                throw Duplicate();
            }

            document.Version--;
            return Task.FromResult(false);
        }
    }

    public Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        lock (casGate)
        {
            return Task.FromResult(collection.Delete(new BsonValue(id)));
        }
    }

    public Task<long> DeleteManyAsync(Expression<Func<T, bool>> filter, CancellationToken ct = default)
    {
        lock (casGate)
        {
            return Task.FromResult((long)collection.DeleteMany(ClosureEvaluator.Evaluate(filter)));
        }
    }

    // LiteDB's message quotes the clashing value; the answer should not.
    private ConflictException Duplicate() =>
        new($"A {collection.Name} entry with the same unique value already exists.");

    public Task EnsureIndexAsync(Expression<Func<T, object?>> field, bool unique = false, CancellationToken ct = default)
    {
        lock (casGate)
        {
            collection.EnsureIndex(field, unique);
        }

        return Task.CompletedTask;
    }
}
