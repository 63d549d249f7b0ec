using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Models;
using DiyMl.Domain.Predictions;
using DiyMl.Domain.Publishing;
using DiyMl.Domain.Testing;
using DiyMl.Domain.Training;

namespace DiyMl.Domain.Reports;

/// <summary>
/// Builds a model's report from its training record, its test runs and the prediction rollups.
/// Reading rollups instead of raw predictions keeps the cost at a few small documents per day of
/// the period, however many predictions there were.
/// </summary>
public sealed class ModelReportService(
    ITrainedModelStore models,
    IDatasetStore datasets,
    IModelTestStore tests,
    IPredictionStore predictions,
    IPredictionRecorder recorder,
    IPublicationStore publications,
    TimeProvider clock)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    public Task<ModelReport> GetAsync(string userId, string modelId, int? days, CancellationToken ct = default) =>
        GetAsync(userId, modelId, days, zone: null, ct);

    /// <param name="zone">The viewer's time zone for the days of the usage chart; UTC days when null (the API and CSV).</param>
    public async Task<ModelReport> GetAsync(string userId, string modelId, int? days, TimeZoneInfo? zone, CancellationToken ct = default)
    {
        var period = days ?? DefaultDays;
        if (period is < 1 or > MaxDays)
        {
            throw new DomainValidationException("days", $"days must be between 1 and {MaxDays}.");
        }

        var model = (Ids.IsValid(modelId) ? await models.GetAsync(modelId, ct) : null).EnsureOwnedBy(userId, "Model", modelId);

        // Answers already given but still queued for storage belong in the report.
        await recorder.FlushAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var to = DateOnly.FromDateTime(now);
        var from = to.AddDays(1 - period);
        var rollups = await predictions.RollupsAsync(userId, model.Id, from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), ct);
        var runs = await tests.ListForModelAsync(model.Id, ct);
        var dataset = await datasets.GetAsync(model.DatasetId, ct);
        var publication = await publications.FindByModelAsync(model.Id, ct);

        return new ModelReport(
            Summarize(model, dataset?.OwnerId == userId ? dataset.Name : null),
            model.Validation,
            runs.Count > 0 ? runs[0].Evaluation : null,
            [.. runs.Select(TestRunSummary.From)],
            UsageReport.Compute(rollups, from, to, zone, now),
            publication?.Name,
            now);
    }

    /// <summary>The images a model was trained on (for its owner's model card).</summary>
    public async Task<IReadOnlyList<string>> TrainImageIdsAsync(string modelId, CancellationToken ct = default) =>
        (await models.GetAsync(modelId, ct))?.TrainImageIds ?? [];

    public static TrainingSummary Summarize(TrainedModel model, string? datasetName) => new(
        model.Id,
        model.Name,
        model.ModelTypeId,
        ModelCatalog.Find(model.ModelTypeId)?.Name ?? model.ModelTypeId,
        model.DatasetId,
        datasetName,
        model.Classes,
        model.Parameters,
        model.Seed,
        model.TrainImageIds.Count,
        model.ValidationImageIds.Count,
        model.StageSeconds,
        model.StageSeconds.Values.Sum(),
        model.LeakagePairs,
        model.UncertaintyThreshold,
        model.CreatedAt,
        model.LearnedFromNote(),
        model.Validation.CalibrationError);
}
