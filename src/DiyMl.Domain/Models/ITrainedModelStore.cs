using DiyMl.Domain.Common;

namespace DiyMl.Domain.Models;

public interface ITrainedModelStore
{
    Task<TrainedModel?> GetAsync(string id, CancellationToken ct = default);

    Task<Page<TrainedModel>> ListByOwnerAsync(string ownerId, int skip, int take, CancellationToken ct = default);

    Task InsertAsync(TrainedModel model, CancellationToken ct = default);

    /// <summary>Compare-and-set on the version read; false when it changed meanwhile.</summary>
    Task<bool> ReplaceAsync(TrainedModel model, CancellationToken ct = default);

    Task<bool> DeleteAsync(string id, CancellationToken ct = default);

    /// <summary>How many models use this artifact blob (so a delete knows whether to remove it).</summary>
    Task<long> CountByArtifactAsync(string artifactSha256, CancellationToken ct = default);
}

/// <summary>Told after a model is deleted, so other features (publishing, caches) can let go of it.</summary>
public interface IModelDeletedListener
{
    Task OnModelDeletedAsync(TrainedModel model, CancellationToken ct);
}
