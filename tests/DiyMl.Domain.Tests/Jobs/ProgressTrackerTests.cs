using DiyMl.Domain.Jobs;

namespace DiyMl.Domain.Tests.Jobs;

public sealed class ProgressTrackerTests
{
    [Fact]
    public void Rate_and_eta_follow_the_current_stage()
    {
        var time = new ManualTime();
        var tracker = new ProgressTracker(time);

        tracker.Report(JobStage.Named("Featurizing"), 0, 100);
        time.Advance(TimeSpan.FromSeconds(2));
        tracker.Report(JobStage.Named("Featurizing"), 50, 100);

        Assert.Equal(25, tracker.Progress.Rate);
        Assert.Equal(2, tracker.Progress.EtaSeconds);
        Assert.Equal(0.5, tracker.Progress.Fraction);
    }

    [Fact]
    public void Changing_stage_records_how_long_the_last_one_took_and_restarts_the_rate()
    {
        var time = new ManualTime();
        var tracker = new ProgressTracker(time);
        tracker.Report(JobStage.Named("Featurizing"), 0, 10);
        time.Advance(TimeSpan.FromSeconds(3));
        tracker.Report(JobStage.Named("Featurizing"), 10, 10);

        Assert.True(tracker.Report(JobStage.Named("Fitting"), 0, 0));
        time.Advance(TimeSpan.FromSeconds(1.5));
        tracker.Finish();

        Assert.Equal(3, tracker.Progress.StageSeconds["Featurizing"]);
        Assert.Equal(1.5, tracker.Progress.StageSeconds["Fitting"]);
        Assert.Null(tracker.Progress.Rate);
        Assert.Null(tracker.Progress.EtaSeconds);
    }

    [Fact]
    public void A_stage_without_counts_has_no_rate_or_eta()
    {
        var time = new ManualTime();
        var tracker = new ProgressTracker(time);

        Assert.True(tracker.Report(JobStage.Named("Preparing"), 0, 0));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(tracker.Report(JobStage.Named("Preparing"), 0, 0));

        Assert.Null(tracker.Progress.Rate);
        Assert.Null(tracker.Progress.EtaSeconds);
        Assert.Equal(0, tracker.Progress.Fraction);
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
