using DiyMl.Domain.Datasets;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Datasets;

/// <summary><see cref="IDatasetStore"/> over the storage seam (collection <c>datasets</c>).</summary>
internal sealed class DatasetStore(IStorageEngine engine) : IDatasetStore
{
    private readonly IDocumentCollection<Dataset> _datasets = engine.Collection<Dataset>("datasets");
    private int _indexed;

    public Task<Dataset?> GetAsync(string id, CancellationToken ct = default) => _datasets.GetAsync(id, ct);

    public async Task<IReadOnlyList<Dataset>> ListByOwnerAsync(string ownerId, CancellationToken ct = default)
    {
        await EnsureIndexesAsync(ct);
        return await _datasets.FindAsync(d => d.OwnerId == ownerId, new FindOptions<Dataset>(d => d.CreatedAt), ct);
    }

    public Task InsertAsync(Dataset dataset, CancellationToken ct = default) => _datasets.InsertAsync(dataset, ct);

    public Task<bool> ReplaceAsync(Dataset dataset, CancellationToken ct = default) => _datasets.ReplaceAsync(dataset, ct);

    public Task DeleteAsync(string id, CancellationToken ct = default) => _datasets.DeleteAsync(id, ct);

    private async Task EnsureIndexesAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _indexed, 1) == 0)
        {
            await _datasets.EnsureIndexAsync(d => d.OwnerId, ct: ct);
        }
    }
}
