using DiyMl.Domain.Common;
using DiyMl.Domain.Publishing;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Publishing;

internal sealed class PublicationStore : IPublicationStore
{
    private readonly IDocumentCollection<Publication> _publications;
    private readonly Lazy<Task> _indexes;

    public PublicationStore(IStorageEngine engine)
    {
        _publications = engine.Collection<Publication>("publications");
        _indexes = new Lazy<Task>(async () =>
        {
            await _publications.EnsureIndexAsync(p => p.ModelId);
            await _publications.EnsureIndexAsync(p => p.OwnerId);
        });
    }

    public Task<Publication?> GetAsync(string id, CancellationToken ct = default) =>
        Ids.IsValid(id) ? _publications.GetAsync(id, ct) : Task.FromResult<Publication?>(null);

    public async Task<Publication?> FindByModelAsync(string modelId, CancellationToken ct = default)
    {
        await _indexes.Value;
        var found = await _publications.FindAsync(p => p.ModelId == modelId, new FindOptions<Publication>(Limit: 1), ct);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<Page<Publication>> ListAsync(string? ownerId, int skip, int take, CancellationToken ct = default)
    {
        await _indexes.Value;
        var options = new FindOptions<Publication>(p => p.PublishedAt, Descending: true, skip, take);
        if (ownerId is null)
        {
            return new Page<Publication>(await _publications.FindAsync(p => p.Id != null, options, ct), await _publications.CountAsync(p => p.Id != null, ct));
        }

        var items = await _publications.FindAsync(p => p.OwnerId == ownerId, options, ct);
        return new Page<Publication>(items, await _publications.CountAsync(p => p.OwnerId == ownerId, ct));
    }

    public async Task<bool> TryInsertAsync(Publication publication, CancellationToken ct = default)
    {
        await _indexes.Value;
        try
        {
            await _publications.InsertAsync(publication, ct);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A duplicate id (same owner and name) is the expected failure; any other stays an error.
            if (await _publications.GetAsync(publication.Id, ct) is null)
            {
                throw;
            }

            return false;
        }
    }

    public Task<bool> ReplaceAsync(Publication publication, CancellationToken ct = default) => _publications.ReplaceAsync(publication, ct);

    public Task<bool> DeleteAsync(string id, CancellationToken ct = default) => _publications.DeleteAsync(id, ct);
}
