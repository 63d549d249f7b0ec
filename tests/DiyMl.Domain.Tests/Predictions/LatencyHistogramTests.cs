using DiyMl.Domain.Predictions;

namespace DiyMl.Domain.Tests.Predictions;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_of_1_to_1000_ms_are_within_the_stated_error_of_the_exact_nearest_rank_values()
    {
        var buckets = new long[LatencyHistogram.BucketCount];
        for (var ms = 1; ms <= 1000; ms++)
        {
            buckets[LatencyHistogram.BucketOf(ms)]++;
        }

        // Nearest rank on 1..1000: p50 is the 500th value, p95 the 950th, p99 the 990th.
        AssertClose(500, LatencyHistogram.Percentile(buckets, 0.50));
        AssertClose(950, LatencyHistogram.Percentile(buckets, 0.95));
        AssertClose(990, LatencyHistogram.Percentile(buckets, 0.99));
    }

    [Fact]
    public void A_single_slow_request_among_a_hundred_shows_in_p99_but_not_in_p50()
    {
        var buckets = new long[LatencyHistogram.BucketCount];
        buckets[LatencyHistogram.BucketOf(10)] += 98;
        buckets[LatencyHistogram.BucketOf(2000)] += 2;

        AssertClose(10, LatencyHistogram.Percentile(buckets, 0.50));
        AssertClose(10, LatencyHistogram.Percentile(buckets, 0.95));
        AssertClose(2000, LatencyHistogram.Percentile(buckets, 0.99));
    }

    [Fact]
    public void An_empty_histogram_has_no_percentiles() =>
        Assert.Null(LatencyHistogram.Percentile(new long[LatencyHistogram.BucketCount], 0.5));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.NaN)]
    [InlineData(1e9)]
    public void Latencies_outside_the_range_land_in_the_end_buckets_instead_of_failing(double ms)
    {
        var bucket = LatencyHistogram.BucketOf(ms);

        Assert.InRange(bucket, 0, LatencyHistogram.BucketCount - 1);
    }

    [Fact]
    public void The_stated_error_is_under_four_percent() => Assert.InRange(LatencyHistogram.RelativeError, 0.03, 0.04);

    private static void AssertClose(double expected, double? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value, expected * (1 - LatencyHistogram.RelativeError), expected * (1 + LatencyHistogram.RelativeError));
    }
}
