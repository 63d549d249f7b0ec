using DiyMl.Domain.Common;
using DiyMl.Domain.Training;

namespace DiyMl.Domain.Models;

/// <summary>A user's trained models: list, read, rename, tune the uncertainty threshold, delete.</summary>
public sealed class ModelService(
    ITrainedModelStore store,
    IModelPredictor predictor,
    OperationLog operations)
{
    public const int MaxNameLength = 120;

    public Task<Page<TrainedModel>> ListAsync(string userId, int page, int pageSize, CancellationToken ct = default)
    {
        (page, pageSize) = (Math.Max(page, 1), Math.Clamp(pageSize, 1, 200));
        return store.ListByOwnerAsync(userId, (page - 1) * pageSize, pageSize, ct);
    }

    public async Task<TrainedModel> GetAsync(string userId, string id, CancellationToken ct = default) =>
        (Ids.IsValid(id) ? await store.GetAsync(id, ct) : null).EnsureOwnedBy(userId, "Model", id);

    public async Task<TrainedModel> UpdateAsync(string userId, string id, string? name, double? uncertaintyThreshold, bool? keepPredictionImages = null, CancellationToken ct = default)
    {
        if (name is not null && (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength))
        {
            throw new DomainValidationException("name", $"A model name needs 1 to {MaxNameLength} characters.");
        }

        if (uncertaintyThreshold is { } t && (double.IsNaN(t) || t < 0 || t > 1))
        {
            throw new DomainValidationException("uncertaintyThreshold", "The uncertainty threshold must be between 0 and 1.");
        }

        var model = await GetAsync(userId, id, ct);
        model.Name = name?.Trim() ?? model.Name;
        model.UncertaintyThreshold = uncertaintyThreshold ?? model.UncertaintyThreshold;
        model.KeepPredictionImages = keepPredictionImages ?? model.KeepPredictionImages;
        return await store.ReplaceAsync(model, ct)
            ? model
            : throw new ConflictException("The model was changed by someone else meanwhile; reload and try again.");
    }

    /// <summary>
    /// Deletes the model, then what belongs to it (publication, test runs, usage records) as one
    /// resumable operation. Its artifact blob is left to the sweeper: another model may share it.
    /// </summary>
    public async Task DeleteAsync(string userId, string id, CancellationToken ct = default)
    {
        var model = await GetAsync(userId, id, ct);
        predictor.Evict(model.Id);
        await operations.RunAsync(new PendingOperation
        {
            Kind = OperationKind.ModelDelete,
            OwnerId = model.OwnerId,
            TargetId = model.Id,
            ArtifactSha256 = model.ArtifactSha256,
        }, ct);
        predictor.Evict(model.Id); // a prediction that loaded it meanwhile must not keep it cached
    }

    /// <summary>The models trained from one dataset, newest first, each with its version number.</summary>
    public async Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string userId, string datasetId, CancellationToken ct = default)
    {
        var mine = new List<TrainedModel>();
        for (var skip = 0; ; skip += 200)
        {
            var page = await store.ListByOwnerAsync(userId, skip, 200, ct);
            mine.AddRange(page.Items.Where(m => string.Equals(m.DatasetId, datasetId, StringComparison.Ordinal)));
            if (page.Items.Count < 200)
            {
                break;
            }
        }

        // Ties (same second) broken by id, so every read numbers the versions alike.
        return [.. mine.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select((m, i) => new ModelVersion(i + 1, m))
            .Reverse()];
    }

    /// <summary>The handle the predictor loads a model by.</summary>
    public static ModelHandle HandleOf(TrainedModel model) =>
        new(model.Id, model.ModelTypeId, model.ArtifactSha256, model.Classes);
}
