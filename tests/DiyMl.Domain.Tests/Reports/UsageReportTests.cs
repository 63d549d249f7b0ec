using DiyMl.Domain.Predictions;
using DiyMl.Domain.Reports;
using DiyMl.Domain.Tests.Predictions;

namespace DiyMl.Domain.Tests.Reports;

public sealed class UsageReportTests
{
    private static readonly DateTime Day1 = new(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Report_counts_per_day_channel_and_class_equal_what_was_recorded()
    {
        var records = new List<PredictionRecord>();
        records.AddRange(Enumerable.Range(0, 5).Select(_ => new PredictionRecordBuilder().At(Day1).Label("cat").Build()));
        records.AddRange(Enumerable.Range(0, 3).Select(_ => new PredictionRecordBuilder().At(Day1).Label("dog").Channel(PredictionChannel.ApiKey).Build()));
        records.AddRange(Enumerable.Range(0, 2).Select(_ => new PredictionRecordBuilder().At(Day1.AddDays(2)).Label("dog").Confidence(0.2).Build()));

        var report = UsageReport.Compute(Rollups(records), DateOnly.FromDateTime(Day1), DateOnly.FromDateTime(Day1.AddDays(2)));

        Assert.Equal(10, report.Total);
        Assert.Equal([5 + 3, 0, 2], report.PerDay.Select(d => d.Count));
        Assert.Equal(7, report.ByChannel.Single(c => c.Channel == PredictionChannel.Browser).Count);
        Assert.Equal(3, report.ByChannel.Single(c => c.Channel == PredictionChannel.ApiKey).Count);
        Assert.Equal(0, report.ByChannel.Single(c => c.Channel == PredictionChannel.Bearer).Count);
        Assert.Equal(5, report.Classes.Single(c => c.Label == "cat").Count);
        Assert.Equal(5, report.Classes.Single(c => c.Label == "dog").Count);
        Assert.Equal(2, report.Uncertain);
        Assert.Equal(0.2, report.UncertainShare, 6);
        Assert.Equal(2, report.Confidence[2].Count);
        Assert.Equal(8, report.Confidence[9].Count);
    }

    [Fact]
    public void Days_outside_the_period_are_left_out()
    {
        var records = new[]
        {
            new PredictionRecordBuilder().At(Day1.AddDays(-1)).Build(),
            new PredictionRecordBuilder().At(Day1).Build(),
            new PredictionRecordBuilder().At(Day1.AddDays(1)).Build(),
        };

        var report = UsageReport.Compute(Rollups(records), DateOnly.FromDateTime(Day1), DateOnly.FromDateTime(Day1));

        Assert.Equal(1, report.Total);
        Assert.Single(report.PerDay);
    }

    [Fact]
    public void Latency_percentiles_merge_across_days_and_channels()
    {
        var records = Enumerable.Range(1, 100).Select(ms => new PredictionRecordBuilder()
            .At(Day1.AddDays(ms % 3))
            .Channel(ms % 2 == 0 ? PredictionChannel.ApiKey : PredictionChannel.Browser)
            .Latency(ms)
            .Build()).ToList();

        var report = UsageReport.Compute(Rollups(records), DateOnly.FromDateTime(Day1), DateOnly.FromDateTime(Day1.AddDays(2)));

        var tolerance = 1 + report.Latency.RelativeError;
        Assert.InRange(report.Latency.P50!.Value, 50 / tolerance, 50 * tolerance);
        Assert.InRange(report.Latency.P95!.Value, 95 / tolerance, 95 * tolerance);
        Assert.InRange(report.Latency.P99!.Value, 99 / tolerance, 99 * tolerance);
        Assert.Equal(50.5, report.Latency.Mean!.Value, 6);
    }

    [Fact]
    public void An_unused_model_reports_zeros_not_errors()
    {
        var report = UsageReport.Compute([], new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 7));

        Assert.Equal(0, report.Total);
        Assert.Equal(0, report.UncertainShare);
        Assert.Equal(7, report.PerDay.Count);
        Assert.Null(report.Latency.P50);
        Assert.Equal(10, report.Confidence.Count);
    }

    internal static List<PredictionRollup> Rollups(IEnumerable<PredictionRecord> records)
    {
        var rollups = new Dictionary<string, PredictionRollup>();
        foreach (var record in records)
        {
            var id = PredictionRollup.IdFor(record.ModelId, record.At.Date, record.Channel);
            if (!rollups.TryGetValue(id, out var rollup))
            {
                rollups[id] = rollup = PredictionRollup.For(record);
            }

            rollup.Add(record);
        }

        return [.. rollups.Values];
    }
}
