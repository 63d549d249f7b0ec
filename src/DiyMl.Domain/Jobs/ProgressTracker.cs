namespace DiyMl.Domain.Jobs;

/// <summary>
/// Turns a handler's (stage, done, total) reports into the progress people see: the rate over
/// the current stage, the time left at that rate, and how long each finished stage took.
/// Not thread-safe; the runner serializes calls.
/// </summary>
public sealed class ProgressTracker(TimeProvider time)
{
    private long _stageStartedTicks = time.GetTimestamp();
    private int _stageStartDone;

    public JobProgress Progress { get; } = JobProgress.At(JobStage.Starting);

    /// <summary>Applies one report; true when it began a new stage.</summary>
    public bool Report(JobStage stage, int done, int total)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stage.Name, nameof(stage));
        var changed = !string.Equals(stage.Name, Progress.Stage, StringComparison.Ordinal);
        if (changed)
        {
            CloseStage();
            Progress.Stage = stage.Name;
            _stageStartedTicks = time.GetTimestamp();
            _stageStartDone = Math.Max(0, done);
        }

        Progress.Done = Math.Max(0, done);
        Progress.Total = Math.Max(0, total);
        var elapsed = time.GetElapsedTime(_stageStartedTicks).TotalSeconds;
        var advanced = Progress.Done - _stageStartDone;
        Progress.Rate = advanced > 0 && elapsed > 0 ? advanced / elapsed : null;
        Progress.EtaSeconds = Progress.Rate is > 0 && Progress.Total > 0
            ? Math.Max(0, Progress.Total - Progress.Done) / Progress.Rate.Value
            : null;
        return changed;
    }

    /// <summary>
    /// Applies one report with the handler's own figures: its rate and time left replace the
    /// per-stage ones (null hides them until they can be honest) and a trial is added.
    /// </summary>
    public bool Report(JobStage stage, int done, int total, ProgressDetail detail)
    {
        var changed = Report(stage, done, total);
        Progress.Rate = detail.Rate;
        Progress.EtaSeconds = detail.EtaSeconds;
        if (detail.Trial is { } trial)
        {
            Progress.Trials.Add(trial);
        }

        return changed;
    }

    /// <summary>Ends the current stage (the job is over): its duration is recorded and the ETA cleared.</summary>
    public void Finish()
    {
        CloseStage();
        Progress.EtaSeconds = null;
        _stageStartedTicks = time.GetTimestamp();
    }

    private void CloseStage()
    {
        var seconds = time.GetElapsedTime(_stageStartedTicks).TotalSeconds;
        Progress.StageSeconds[Progress.Stage] = Math.Round(
            Progress.StageSeconds.GetValueOrDefault(Progress.Stage) + seconds, 3);
    }
}
