using DiyMl.Domain.Common;

namespace DiyMl.Domain.Publishing;

public interface IPublicationStore
{
    Task<Publication?> GetAsync(string id, CancellationToken ct = default);

    /// <summary>The publication a model currently answers under, if any.</summary>
    Task<Publication?> FindByModelAsync(string modelId, CancellationToken ct = default);

    /// <summary>Newest first; one owner's when <paramref name="ownerId"/> is given, everyone's otherwise.</summary>
    Task<Page<Publication>> ListAsync(string? ownerId, int skip, int take, CancellationToken ct = default);

    /// <summary>False when a publication with the same id (owner + name) already exists.</summary>
    Task<bool> TryInsertAsync(Publication publication, CancellationToken ct = default);

    /// <summary>Compare-and-set on the version read; false when it changed meanwhile.</summary>
    Task<bool> ReplaceAsync(Publication publication, CancellationToken ct = default);

    Task<bool> DeleteAsync(string id, CancellationToken ct = default);
}
