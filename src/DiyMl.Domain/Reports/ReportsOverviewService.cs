using DiyMl.Domain.Models;
using DiyMl.Domain.Predictions;
using DiyMl.Domain.Publishing;
using DiyMl.Domain.Testing;

namespace DiyMl.Domain.Reports;

/// <summary>One row of the reports overview: a model, how good it is and how much it is used.</summary>
public sealed record ModelOverview(
    string ModelId,
    string Name,
    string ModelTypeId,
    DateTime TrainedAt,
    double ValidationAccuracy,
    double? LatestTestAccuracy,
    DateTime? LatestTestAt,
    int TestRuns,
    long Predictions7Days,
    long Predictions30Days,
    double UncertainShare30Days,
    string? PublishedAs);

/// <summary>Counts across everyone, for administrators: no names, no images, no one's models.</summary>
public sealed record AdminUsageTotals(
    long Predictions7Days,
    long Predictions30Days,
    long PredictionsAllTime,
    IReadOnlyList<ChannelCount> ByChannel30Days,
    long ModelsUsed30Days,
    long PublishedModels);

public sealed class ReportsOverviewService(
    ITrainedModelStore models,
    IModelTestStore tests,
    IPredictionStore predictions,
    IPredictionRecorder recorder,
    IPublicationStore publications,
    TimeProvider clock)
{
    private const int PageSize = 200;

    public async Task<IReadOnlyList<ModelOverview>> ListAsync(string userId, CancellationToken ct = default)
    {
        await recorder.FlushAsync(ct);
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var rollups = (await predictions.RollupsAsync(userId, null, today.AddDays(-29), ct)).ToLookup(r => r.ModelId, StringComparer.Ordinal);
        var published = (await publications.ListAsync(userId, 0, 10_000, ct)).Items.ToDictionary(p => p.ModelId, p => p.Name, StringComparer.Ordinal);

        var rows = new List<ModelOverview>();
        for (var skip = 0; ; skip += PageSize)
        {
            var page = await models.ListByOwnerAsync(userId, skip, PageSize, ct);
            foreach (var model in page.Items)
            {
                var runs = await tests.ListForModelAsync(model.Id, ct);
                var used = rollups[model.Id].ToList();
                var last30 = used.Sum(r => r.Count);
                rows.Add(new ModelOverview(
                    model.Id,
                    model.Name,
                    model.ModelTypeId,
                    model.CreatedAt,
                    model.Validation.Accuracy,
                    runs.Count > 0 ? runs[0].Evaluation.Accuracy : null,
                    runs.Count > 0 ? runs[0].CreatedAt : null,
                    runs.Count,
                    used.Where(r => r.Day >= today.AddDays(-6)).Sum(r => r.Count),
                    last30,
                    last30 == 0 ? 0 : (double)used.Sum(r => r.Uncertain) / last30,
                    published.GetValueOrDefault(model.Id)));
            }

            if (page.Items.Count < PageSize || skip + PageSize >= page.Total)
            {
                break;
            }
        }

        return rows;
    }

    public async Task<AdminUsageTotals> AdminTotalsAsync(CancellationToken ct = default)
    {
        await recorder.FlushAsync(ct);
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var all = await predictions.AllRollupsAsync(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), ct);
        var last30 = all.Where(r => r.Day >= today.AddDays(-29)).ToList();
        return new AdminUsageTotals(
            all.Where(r => r.Day >= today.AddDays(-6)).Sum(r => r.Count),
            last30.Sum(r => r.Count),
            all.Sum(r => r.Count),
            [.. Enum.GetValues<PredictionChannel>().Select(c => new ChannelCount(c, last30.Where(r => r.Channel == c).Sum(r => r.Count)))],
            last30.Select(r => r.ModelId).Distinct(StringComparer.Ordinal).LongCount(),
            (await publications.ListAsync(null, 0, 1, ct)).Total);
    }
}
