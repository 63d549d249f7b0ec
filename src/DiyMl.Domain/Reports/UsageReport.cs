using DiyMl.Domain.Predictions;

namespace DiyMl.Domain.Reports;

public sealed record DayCount(DateOnly Day, long Count);

public sealed record ChannelCount(PredictionChannel Channel, long Count);

public sealed record PredictedClassCount(string Label, long Count);

public sealed record ConfidenceBin(double From, double To, long Count);

/// <summary>Latency percentiles in milliseconds, each within <see cref="RelativeError"/> of the exact value.</summary>
public sealed record LatencySummary(double? P50, double? P95, double? P99, double? Mean, double RelativeError);

/// <summary>How a model was used over a period of whole UTC days.</summary>
public sealed record UsageReport(
    DateOnly From,
    DateOnly To,
    long Total,
    long Uncertain,
    double UncertainShare,
    IReadOnlyList<DayCount> PerDay,
    IReadOnlyList<ChannelCount> ByChannel,
    LatencySummary Latency,
    IReadOnlyList<PredictedClassCount> Classes,
    IReadOnlyList<ConfidenceBin> Confidence)
{
    /// <summary>Merges the rollups of the days from..to (inclusive); every day of the period is listed, zero or not.</summary>
    public static UsageReport Compute(IEnumerable<PredictionRollup> rollups, DateOnly from, DateOnly to)
    {
        var inRange = rollups.Where(r => DateOnly.FromDateTime(r.Day) >= from && DateOnly.FromDateTime(r.Day) <= to).ToList();
        var total = inRange.Sum(r => r.Count);
        var uncertain = inRange.Sum(r => r.Uncertain);

        var perDay = new List<DayCount>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            perDay.Add(new DayCount(day, inRange.Where(r => DateOnly.FromDateTime(r.Day) == day).Sum(r => r.Count)));
        }

        var byChannel = Enum.GetValues<PredictionChannel>()
            .Select(c => new ChannelCount(c, inRange.Where(r => r.Channel == c).Sum(r => r.Count)))
            .ToList();

        var classes = inRange.SelectMany(r => r.Classes)
            .GroupBy(c => c.Label, StringComparer.Ordinal)
            .Select(g => new PredictedClassCount(g.Key, g.Sum(c => c.Count)))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.Ordinal)
            .ToList();

        var bins = Sum(inRange.Select(r => r.ConfidenceBins), ConfidenceBins.Count);
        var confidence = bins.Select((count, i) => new ConfidenceBin(ConfidenceBins.LowerBound(i), ConfidenceBins.UpperBound(i), count)).ToList();

        var buckets = Sum(inRange.Select(r => r.LatencyBuckets), LatencyHistogram.BucketCount);
        var latency = new LatencySummary(
            LatencyHistogram.Percentile(buckets, 0.50),
            LatencyHistogram.Percentile(buckets, 0.95),
            LatencyHistogram.Percentile(buckets, 0.99),
            total == 0 ? null : inRange.Sum(r => r.LatencyTotalMs) / total,
            LatencyHistogram.RelativeError);

        return new UsageReport(from, to, total, uncertain, total == 0 ? 0 : (double)uncertain / total, perDay, byChannel, latency, classes, confidence);
    }

    private static long[] Sum(IEnumerable<List<long>> lists, int count)
    {
        var sum = new long[count];
        foreach (var list in lists)
        {
            for (var i = 0; i < Math.Min(count, list.Count); i++)
            {
                sum[i] += list[i];
            }
        }

        return sum;
    }
}
