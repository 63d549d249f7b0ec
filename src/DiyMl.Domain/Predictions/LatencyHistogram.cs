namespace DiyMl.Domain.Predictions;

/// <summary>
/// Log-spaced latency buckets: 32 per decade from 0.1 ms to 100 s (192 buckets). A bucket spans a
/// factor of 10^(1/32) ≈ 1.075, and a percentile is answered with its bucket's geometric middle, so
/// any percentile read from the histogram is within <see cref="RelativeError"/> (±3.7 %) of the
/// exact nearest-rank value for latencies inside that range. Counts add up, so per-day histograms
/// merge into a report of any period without keeping the raw values.
/// </summary>
public static class LatencyHistogram
{
    public const double MinMs = 0.1;
    public const int BucketsPerDecade = 32;
    public const int BucketCount = 6 * BucketsPerDecade;

    public static double RelativeError { get; } = Math.Pow(10, 0.5 / BucketsPerDecade) - 1;

    public static int BucketOf(double latencyMs)
    {
        if (double.IsNaN(latencyMs) || latencyMs <= MinMs)
        {
            return 0;
        }

        var index = (int)Math.Floor(Math.Log10(latencyMs / MinMs) * BucketsPerDecade);
        return Math.Clamp(index, 0, BucketCount - 1);
    }

    /// <summary>The value a bucket stands for: the geometric middle of its bounds.</summary>
    public static double ValueOf(int bucket) => MinMs * Math.Pow(10, (bucket + 0.5) / BucketsPerDecade);

    /// <summary>Nearest-rank percentile (0 &lt; p ≤ 1) over bucket counts; null when there is nothing counted.</summary>
    public static double? Percentile(IReadOnlyList<long> buckets, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        var total = buckets.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(p * total);
        long seen = 0;
        for (var i = 0; i < buckets.Count; i++)
        {
            seen += buckets[i];
            if (seen >= rank)
            {
                return ValueOf(i);
            }
        }

        return ValueOf(buckets.Count - 1);
    }
}
