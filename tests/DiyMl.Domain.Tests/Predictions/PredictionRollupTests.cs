using DiyMl.Domain.Predictions;

namespace DiyMl.Domain.Tests.Predictions;

public sealed class PredictionRollupTests
{
    [Fact]
    public void Rollup_counts_classes_uncertain_answers_bins_and_latency()
    {
        var first = new PredictionRecordBuilder().Label("cat").Confidence(0.95).Latency(10).Build();
        var rollup = PredictionRollup.For(first);

        rollup.Add(first);
        rollup.Add(new PredictionRecordBuilder().Label("dog").Confidence(0.3).Latency(30).Build());
        rollup.Add(new PredictionRecordBuilder().Label("cat").Confidence(0.55).Latency(20).Build());

        Assert.Equal(3, rollup.Count);
        Assert.Equal(1, rollup.Uncertain);
        Assert.Equal(60, rollup.LatencyTotalMs);
        Assert.Equal(2, rollup.Classes.Single(c => c.Label == "cat").Count);
        Assert.Equal(1, rollup.Classes.Single(c => c.Label == "dog").Count);
        Assert.Equal([0, 0, 0, 1, 0, 1, 0, 0, 0, 1], rollup.ConfidenceBins);
        Assert.Equal(3, rollup.LatencyBuckets.Sum());
    }

    [Fact]
    public void Rollup_ids_are_one_per_model_day_and_channel_and_valid_ids()
    {
        var day = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
        var model = "aaaaaaaaaaaaaaaaaaaaaaaa";

        var id = PredictionRollup.IdFor(model, day, PredictionChannel.Browser);

        Assert.True(Common.Ids.IsValid(id));
        Assert.Equal(id, PredictionRollup.IdFor(model, day, PredictionChannel.Browser));
        Assert.NotEqual(id, PredictionRollup.IdFor(model, day.AddDays(1), PredictionChannel.Browser));
        Assert.NotEqual(id, PredictionRollup.IdFor(model, day, PredictionChannel.ApiKey));
        Assert.NotEqual(id, PredictionRollup.IdFor("bbbbbbbbbbbbbbbbbbbbbbbb", day, PredictionChannel.Browser));
    }

    [Fact]
    public void A_prediction_late_in_the_evening_counts_on_its_utc_day()
    {
        var record = new PredictionRecordBuilder().At(new DateTime(2026, 11, 20, 23, 59, 59, DateTimeKind.Utc)).Build();

        var rollup = PredictionRollup.For(record);

        Assert.Equal(new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc), rollup.Day);
        Assert.Equal(DateTimeKind.Utc, rollup.Day.Kind);
    }
}
