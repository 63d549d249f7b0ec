using System.Linq.Expressions;
using DiyMl.Domain.Common;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DiyMl.Infrastructure.Storage.Mongo;

internal sealed class MongoCollection<T>(IMongoCollection<T> collection) : IDocumentCollection<T>
    where T : Entity
{
    private static readonly FilterDefinition<T> Nothing = Builders<T>.Filter.In("_id", Array.Empty<ObjectId>());

    public async Task<T?> GetAsync(string id, CancellationToken ct = default)
    {
        if (!IsObjectId(id))
        {
            return null;
        }

        return await collection.Find(ById(id)).FirstOrDefaultAsync(ct);
    }

    public async Task<IReadOnlyList<T>> FindAsync(Expression<Func<T, bool>> filter, FindOptions<T>? options = null, CancellationToken ct = default)
    {
        if (options?.Limit is <= 0)
        {
            return []; // MongoDB reads a limit of 0 as "no limit"
        }

        var find = collection.Find(Safe(filter));
        if (options?.OrderBy is { } orderBy)
        {
            var field = new ExpressionFieldDefinition<T>(orderBy);
            var sort = options.Descending ? Builders<T>.Sort.Descending(field) : Builders<T>.Sort.Ascending(field);

            // Ties broken by _id so pages never repeat or skip a document.
            find = find.Sort(Builders<T>.Sort.Combine(sort, Builders<T>.Sort.Ascending("_id")));
        }

        if (options?.Skip is > 0)
        {
            find = find.Skip(options.Skip);
        }

        if (options?.Limit is { } limit)
        {
            find = find.Limit(limit);
        }

        return await find.ToListAsync(ct);
    }

    public Task<long> CountAsync(Expression<Func<T, bool>> filter, CancellationToken ct = default) =>
        collection.CountDocumentsAsync(Safe(filter), cancellationToken: ct);

    public async Task InsertAsync(T document, CancellationToken ct = default)
    {
        document.Version = 1;
        try
        {
            await collection.InsertOneAsync(document, cancellationToken: ct);
        }
        catch (MongoWriteException ex) when (ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            throw Duplicate();
        }
    }

    public async Task InsertManyAsync(IReadOnlyCollection<T> documents, CancellationToken ct = default)
    {
        if (documents.Count == 0)
        {
            return;
        }

        foreach (var document in documents)
        {
            document.Version = 1;
        }

        try
        {
            await collection.InsertManyAsync(documents, cancellationToken: ct);
        }
        catch (MongoBulkWriteException ex) when (ex.WriteErrors.Any(e => e.Category == ServerErrorCategory.DuplicateKey))
        {
            throw Duplicate();
        }
    }

    public async Task<bool> ReplaceAsync(T document, CancellationToken ct = default)
    {
        if (!IsObjectId(document.Id))
        {
            return false;
        }

        var expected = document.Version;
        var filter = ById(document.Id) & Builders<T>.Filter.Eq(x => x.Version, expected);
        document.Version = expected + 1;
        try
        {
            var result = await collection.ReplaceOneAsync(filter, document, cancellationToken: ct);
            if (result.MatchedCount == 1)
            {
                return true;
            }
        }
        catch (MongoWriteException ex) when (ex.WriteError?.Category == ServerErrorCategory.DuplicateKey)
        {
            document.Version = expected;
            throw Duplicate();
        }
        catch
        {
            document.Version = expected;
            throw;
        }

        document.Version = expected;
        return false;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct = default)
    {
        if (!IsObjectId(id))
        {
            return false;
        }

        var result = await collection.DeleteOneAsync(ById(id), ct);
        return result.DeletedCount == 1;
    }

    public async Task<long> DeleteManyAsync(Expression<Func<T, bool>> filter, CancellationToken ct = default)
    {
        var result = await collection.DeleteManyAsync(Safe(filter), ct);
        return result.DeletedCount;
    }

    public async Task EnsureIndexAsync(Expression<Func<T, object?>> field, bool unique = false, CancellationToken ct = default)
    {
        var keys = Builders<T>.IndexKeys.Ascending(new ExpressionFieldDefinition<T>(field));
        await collection.Indexes.CreateOneAsync(new CreateIndexModel<T>(keys, new CreateIndexOptions { Unique = unique }), cancellationToken: ct);
    }

    private static FilterDefinition<T> ById(string id) => Builders<T>.Filter.Eq(x => x.Id, id);

    private static bool IsObjectId(string? id) => id is { Length: 24 } && ObjectId.TryParse(id, out _);

    /// <summary>
    /// A filter comparing <see cref="Entity.Id"/> with something that is not an ObjectId (an id
    /// typed by a person, say) cannot be rendered; no stored document can match it, so it matches
    /// nothing instead of failing, as it does on LiteDB.
    /// </summary>
    private FilterDefinition<T> Safe(Expression<Func<T, bool>> filter)
    {
        var definition = Builders<T>.Filter.Where(filter);
        try
        {
            _ = definition.Render(new RenderArgs<T>(collection.DocumentSerializer, collection.Settings.SerializerRegistry));
            return definition;
        }
        catch (FormatException)
        {
            return Nothing;
        }
    }

    // The server's message names the database and the clashing value; neither belongs in an answer.
    private ConflictException Duplicate() =>
        new($"A {collection.CollectionNamespace.CollectionName} entry with the same unique value already exists.");
}
