using DiyMl.Domain.Jobs;

namespace DiyMl.Domain.Training;

/// <summary>
/// The rate and time left a person sees while a training runs, from what this job has measured
/// so far and nothing else: no figure at all until it can be honest. The per-stage figures of
/// <see cref="ProgressTracker"/> cannot do this: they count the image network's loading as slow
/// featurizing and end the estimate where featurizing ends, although learning is still to come.
/// Not thread-safe: the progress pump delivers one update at a time.
/// </summary>
public sealed class TrainingEstimator(TimeProvider time, string modelTypeId, int trainImages)
{
    public const string Featurizing = "Featurizing";
    public const string TryingSettings = "Trying settings";

    /// <summary>Images past the first chunk before a rate is trusted (the first chunk also pays for loading the network).</summary>
    public const int MinImagesForRate = 16;

    /// <summary>Seconds of measuring before a rate is trusted: a single fast chunk says little.</summary>
    public const double MinSecondsForRate = 1;

    /// <summary>
    /// Learning after featurizing, per training picture, before a settings trial was timed in this
    /// job. Measured on 2 cores (docs/benchmarks.md, TrainingScenario): 400 training pictures spent
    /// 1.3-1.6 s fitting (9 settings × 3 folds, calibration, final fit) with ResNet18 + L-BFGS; the
    /// pixel model ~3 s per 500, LightGBM ~12 s per 400. Scaled by cores.
    /// </summary>
    private double FittingSecondsPerImage => modelTypeId switch
    {
        ModelCatalog.ResNetLightGbm => 0.03,
        ModelCatalog.Pixels => 0.006,
        _ => 0.004,
    } * 2 / Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// What follows the last trial, in trials' worth of time: calibration (one fit per fold, in
    /// parallel), the final fit, the learning curve (three smaller fits) and the refit on all
    /// pictures - each about one trial, which also fits its folds in parallel.
    /// </summary>
    public const double TrialsAfterSearch = 4;

    private long? _firstChunkAt;
    private int _firstChunkDone;
    private long? _trialsStartedAt;

    public ProgressDetail Next(TrainingProgressUpdate update)
    {
        var now = time.GetTimestamp();
        return update.Stage switch
        {
            Featurizing => WhileFeaturizing(update, now),
            TryingSettings => WhileTrying(update, now),
            _ => new ProgressDetail(null, null, update.Trial),
        };
    }

    private ProgressDetail WhileFeaturizing(TrainingProgressUpdate update, long now)
    {
        if (update.Done <= 0)
        {
            return new ProgressDetail(null, null);
        }

        if (_firstChunkAt is null)
        {
            (_firstChunkAt, _firstChunkDone) = (now, update.Done);
            return new ProgressDetail(null, null);
        }

        var seconds = time.GetElapsedTime(_firstChunkAt.Value, now).TotalSeconds;
        var measured = update.Done - _firstChunkDone;
        if (measured < MinImagesForRate || seconds < MinSecondsForRate)
        {
            return new ProgressDetail(null, null);
        }

        var rate = measured / seconds;
        var left = Math.Max(0, update.Total - update.Done) / rate + trainImages * FittingSecondsPerImage;
        return new ProgressDetail(rate, left);
    }

    private ProgressDetail WhileTrying(TrainingProgressUpdate update, long now)
    {
        _trialsStartedAt ??= now;
        if (update.Done <= 0)
        {
            return new ProgressDetail(null, null, update.Trial);
        }

        var perTrial = time.GetElapsedTime(_trialsStartedAt.Value, now).TotalSeconds / update.Done;
        var left = (Math.Max(0, update.Total - update.Done) + TrialsAfterSearch) * perTrial;
        return new ProgressDetail(null, left, update.Trial);
    }
}
