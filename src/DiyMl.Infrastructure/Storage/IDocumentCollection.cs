using System.Linq.Expressions;
using DiyMl.Domain.Common;

namespace DiyMl.Infrastructure.Storage;

/// <summary>
/// The small seam every store is written over; each engine implements only this.
/// Filters are LINQ expressions kept simple (==, !=, &lt;, &gt;, &amp;&amp;, ||, null checks) so both
/// engines translate them.
/// </summary>
public interface IDocumentCollection<T> where T : Entity
{
    Task<T?> GetAsync(string id, CancellationToken ct = default);

    Task<IReadOnlyList<T>> FindAsync(Expression<Func<T, bool>> filter, FindOptions<T>? options = null, CancellationToken ct = default);

    Task<long> CountAsync(Expression<Func<T, bool>> filter, CancellationToken ct = default);

    /// <summary>Inserts a new document with <see cref="Entity.Version"/> set to 1.</summary>
    Task InsertAsync(T document, CancellationToken ct = default);

    Task InsertManyAsync(IReadOnlyCollection<T> documents, CancellationToken ct = default);

    /// <summary>
    /// Compare-and-set: replaces the stored document only if its version still equals
    /// <paramref name="document"/>.Version, then bumps the version on both. False when someone
    /// else changed (or deleted) it first.
    /// </summary>
    Task<bool> ReplaceAsync(T document, CancellationToken ct = default);

    Task<bool> DeleteAsync(string id, CancellationToken ct = default);

    Task<long> DeleteManyAsync(Expression<Func<T, bool>> filter, CancellationToken ct = default);

    /// <summary>Creates a secondary index once (idempotent).</summary>
    Task EnsureIndexAsync(Expression<Func<T, object?>> field, bool unique = false, CancellationToken ct = default);
}

/// <summary>Sort, skip and limit for <see cref="IDocumentCollection{T}.FindAsync"/>.</summary>
public sealed record FindOptions<T>(
    Expression<Func<T, object?>>? OrderBy = null,
    bool Descending = false,
    int Skip = 0,
    int? Limit = null);

/// <summary>One storage engine: hands out collections by name and says whether it is reachable.</summary>
public interface IStorageEngine : IStorageHealth
{
    IDocumentCollection<T> Collection<T>(string name) where T : Entity;
}
