using DiyMl.Domain.Jobs;
using DiyMl.Domain.Training;

namespace DiyMl.Domain.Tests.Training;

public sealed class TrainingEstimatorTests
{
    private readonly SteppedTime _time = new();

    [Fact]
    public void Nothing_is_estimated_while_the_image_network_loads_or_before_a_rate_is_measured()
    {
        var estimator = new TrainingEstimator(_time, ModelCatalog.ResNetLbfgs, 120);

        Assert.Equal(new ProgressDetail(null, null), estimator.Next(new("Featurizing", 0, 153)));
        _time.Advance(6); // loading the network: the first chunk arrives late
        Assert.Equal(new ProgressDetail(null, null), estimator.Next(new("Featurizing", 16, 153)));
        _time.Advance(0.4); // one quick chunk is not a measured rate yet
        Assert.Equal(new ProgressDetail(null, null), estimator.Next(new("Featurizing", 32, 153)));
    }

    [Fact]
    public void The_rate_leaves_out_the_loading_time_and_the_time_left_includes_learning()
    {
        var estimator = new TrainingEstimator(_time, ModelCatalog.ResNetLbfgs, 120);
        estimator.Next(new("Featurizing", 0, 153));
        _time.Advance(6);
        estimator.Next(new("Featurizing", 16, 153));
        _time.Advance(2);

        var detail = estimator.Next(new("Featurizing", 48, 153));

        Assert.Equal(16, detail.Rate); // 32 images in 2 s, not 48 in 8 s
        var learning = 120 * 0.004 * 2 / Environment.ProcessorCount;
        Assert.Equal(105 / 16.0 + learning, detail.EtaSeconds!.Value, 6);
    }

    [Fact]
    public void Trying_settings_estimates_from_the_measured_time_per_setting_and_passes_each_trial_on()
    {
        var estimator = new TrainingEstimator(_time, ModelCatalog.ResNetLbfgs, 120);
        Assert.Null(estimator.Next(new(TrainingEstimator.TryingSettings, 0, 9)).EtaSeconds);
        _time.Advance(1.5);
        var trial = new JobTrial { Setting = "l2", Value = 0.001, Score = 0.8 };

        var detail = estimator.Next(new(TrainingEstimator.TryingSettings, 3, 9) { Trial = trial });

        Assert.Same(trial, detail.Trial);
        Assert.Null(detail.Rate); // settings per second would be shown as images per second
        Assert.Equal((6 + TrainingEstimator.TrialsAfterSearch) * 0.5, detail.EtaSeconds!.Value, 6);
    }

    [Fact]
    public void The_last_short_steps_show_no_time_left_rather_than_a_guess()
    {
        var estimator = new TrainingEstimator(_time, ModelCatalog.ResNetLbfgs, 120);

        Assert.Equal(new ProgressDetail(null, null), estimator.Next(new("Fitting", 0, 1)));
        Assert.Equal(new ProgressDetail(null, null), estimator.Next(new("Learning curve", 0, 3)));
    }

    [Fact]
    public void The_tracker_takes_the_handlers_figures_over_its_own_and_keeps_the_trials()
    {
        var tracker = new ProgressTracker(_time);
        tracker.Report(JobStage.Named("Featurizing"), 0, 100);
        _time.Advance(5);

        tracker.Report(JobStage.Named("Featurizing"), 50, 100, new ProgressDetail(null, null));
        Assert.Null(tracker.Progress.Rate);
        Assert.Null(tracker.Progress.EtaSeconds);

        tracker.Report(JobStage.Named(TrainingEstimator.TryingSettings), 1, 9, new ProgressDetail(null, 4, new JobTrial { Setting = "l2", Value = 1, Score = 0.5 }));
        tracker.Report(JobStage.Named(TrainingEstimator.TryingSettings), 2, 9, new ProgressDetail(null, 3, new JobTrial { Setting = "l2", Value = 2, Score = 0.75 }));
        Assert.Equal(3, tracker.Progress.EtaSeconds);
        Assert.Equal([0.5, 0.75], ProgressSnapshot.From(tracker.Progress).Trials.Select(t => t.Score));
        Assert.Equal([1.0, 2.0], tracker.Progress.Copy().Trials.Select(t => t.Value));
    }

    private sealed class SteppedTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(double seconds) => _ticks += TimeSpan.FromSeconds(seconds).Ticks;
    }
}
