namespace DiyMl.Domain.Predictions;

/// <summary>Recorded predictions and their per-day rollups.</summary>
public interface IPredictionStore
{
    /// <summary>Keeps the records and folds each into its day's rollup (compare-and-set, retried on contention).</summary>
    Task RecordAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct = default);

    /// <summary>Rollups of one owner's models from <paramref name="fromDay"/> on; all models when <paramref name="modelId"/> is null.</summary>
    Task<IReadOnlyList<PredictionRollup>> RollupsAsync(string ownerId, string? modelId, DateTime fromDay, CancellationToken ct = default);

    /// <summary>Every owner's rollups since a day: for the admin's counts-only totals.</summary>
    Task<IReadOnlyList<PredictionRollup>> AllRollupsAsync(DateTime fromDay, CancellationToken ct = default);

    /// <summary>Raw records of one model, newest first.</summary>
    Task<IReadOnlyList<PredictionRecord>> RecentAsync(string ownerId, string modelId, int limit, CancellationToken ct = default);

    /// <summary>Removes a model's records and rollups (when the model is deleted).</summary>
    Task DeleteForModelAsync(string modelId, CancellationToken ct = default);
}
