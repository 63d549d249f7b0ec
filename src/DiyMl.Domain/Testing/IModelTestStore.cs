namespace DiyMl.Domain.Testing;

public interface IModelTestStore
{
    Task<ModelTestRun?> GetAsync(string runId, CancellationToken ct = default);

    /// <summary>A model's test runs, newest first.</summary>
    Task<IReadOnlyList<ModelTestRun>> ListForModelAsync(string modelId, CancellationToken ct = default);

    /// <summary>Saves a finished run with its per-image answers.</summary>
    Task InsertAsync(ModelTestRun run, IReadOnlyCollection<TestPrediction> predictions, CancellationToken ct = default);

    /// <summary>Per-image answers of a run matching the query, with how many match in all.</summary>
    Task<(IReadOnlyList<TestPrediction> Items, long Total)> PredictionsAsync(string runId, TestPredictionQuery query, CancellationToken ct = default);

    Task<TestPrediction?> GetPredictionAsync(string predictionId, CancellationToken ct = default);

    /// <summary>Compare-and-set on the version read.</summary>
    Task<bool> ReplacePredictionAsync(TestPrediction prediction, CancellationToken ct = default);

    Task DeleteForModelAsync(string modelId, CancellationToken ct = default);
}

/// <summary>
/// Which per-image answers to show: one confusion-matrix cell (true → predicted), only the wrong
/// ones, and in which order (most confident first finds the "confidently wrong" images).
/// </summary>
public sealed record TestPredictionQuery(
    string? TrueLabel = null,
    string? PredictedLabel = null,
    bool? Correct = null,
    bool MostConfidentFirst = true,
    int Skip = 0,
    int Take = 50);
