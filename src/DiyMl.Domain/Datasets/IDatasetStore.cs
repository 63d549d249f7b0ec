namespace DiyMl.Domain.Datasets;

/// <summary>Persistence of <see cref="Dataset"/> documents. Replace is compare-and-set on Version.</summary>
public interface IDatasetStore
{
    Task<Dataset?> GetAsync(string id, CancellationToken ct = default);

    Task<IReadOnlyList<Dataset>> ListByOwnerAsync(string ownerId, CancellationToken ct = default);

    Task InsertAsync(Dataset dataset, CancellationToken ct = default);

    /// <summary>False when someone else changed the dataset first; reload and try again.</summary>
    Task<bool> ReplaceAsync(Dataset dataset, CancellationToken ct = default);

    Task DeleteAsync(string id, CancellationToken ct = default);
}
