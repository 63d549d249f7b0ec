using DiyMl.Domain.Predictions;

namespace DiyMl.Domain.Reports;

public sealed record DayCount(DateOnly Day, long Count);

public sealed record ChannelCount(PredictionChannel Channel, long Count);

public sealed record PredictedClassCount(string Label, long Count);

public sealed record ConfidenceBin(double From, double To, long Count);

/// <summary>Latency percentiles in milliseconds, each within <see cref="RelativeError"/> of the exact value.</summary>
public sealed record LatencySummary(double? P50, double? P95, double? P99, double? Mean, double RelativeError);

/// <summary>How a model was used over a period of whole UTC days; <see cref="PerDay"/> may be in the viewer's days.</summary>
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
    /// <summary>
    /// Merges the rollups of the UTC days from..to (inclusive). Every day is listed, zero or not: UTC
    /// days when <paramref name="zone"/> is null, otherwise the viewer's own days that the period
    /// touches, up to the viewer's today (<paramref name="nowUtc"/>), counted from the hourly counts.
    /// The figures stay those of the UTC period either way, so the days always add up to the total.
    /// </summary>
    public static UsageReport Compute(IEnumerable<PredictionRollup> rollups, DateOnly from, DateOnly to, TimeZoneInfo? zone = null, DateTime? nowUtc = null)
    {
        var inRange = rollups.Where(r => DateOnly.FromDateTime(r.Day) >= from && DateOnly.FromDateTime(r.Day) <= to).ToList();
        var total = inRange.Sum(r => r.Count);
        var uncertain = inRange.Sum(r => r.Uncertain);
        var perDay = zone is null ? UtcDays(inRange, from, to) : LocalDays(inRange, from, to, zone, nowUtc);

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

    private static List<DayCount> UtcDays(List<PredictionRollup> rollups, DateOnly from, DateOnly to)
    {
        var perDay = new List<DayCount>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            perDay.Add(new DayCount(day, rollups.Where(r => DateOnly.FromDateTime(r.Day) == day).Sum(r => r.Count)));
        }

        return perDay;
    }

    // Each UTC hour goes to the viewer's day its middle falls in, which is exact for whole-hour zones
    // and within half an hour for the few zones offset by 30 or 45 minutes.
    private static List<DayCount> LocalDays(List<PredictionRollup> rollups, DateOnly from, DateOnly to, TimeZoneInfo zone, DateTime? nowUtc)
    {
        DateOnly Local(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone));
        var periodEnd = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddTicks(-1);
        var first = Local(from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var last = Local(nowUtc is { } now && now < periodEnd ? DateTime.SpecifyKind(now, DateTimeKind.Utc) : periodEnd);
        var counts = new Dictionary<DateOnly, long>();
        foreach (var rollup in rollups)
        {
            var midnight = DateTime.SpecifyKind(rollup.Day.Date, DateTimeKind.Utc);
            var hours = rollup.Hours.Take(PredictionRollup.HoursPerDay).ToList();
            for (var h = 0; h < hours.Count; h++)
            {
                Add(counts, Local(midnight.AddHours(h).AddMinutes(30)), hours[h]);
            }

            // A rollup written before hours were kept stays on the viewer's day of its UTC noon.
            Add(counts, Local(midnight.AddHours(12)), rollup.Count - hours.Sum());
        }

        var perDay = new List<DayCount>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            perDay.Add(new DayCount(day, counts.GetValueOrDefault(day)));
        }

        return perDay;
    }

    private static void Add(Dictionary<DateOnly, long> counts, DateOnly day, long count)
    {
        if (count > 0)
        {
            counts[day] = counts.GetValueOrDefault(day) + count;
        }
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
