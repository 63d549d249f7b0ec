using DiyMl.Domain.Common;

namespace DiyMl.Domain.Jobs;

public enum JobKind
{
    Training,
    ModelTest,
    BatchPrediction,
}

public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// One durable unit of background work (training, a model test, a batch prediction) and its
/// whole lifecycle: Queued → Running → Succeeded | Failed | Cancelled, with trips back to the
/// queue recorded in <see cref="Requeues"/>. State changes only through the methods in
/// Job.Lifecycle.cs; the setters exist for the storage mappers, which need public ones.
/// Infrastructure persists each change by compare-and-set on <see cref="Entity.Version"/>.
/// </summary>
public sealed partial class Job : Entity, IOwned
{
    public string OwnerId { get; set; } = "";

    public JobKind Kind { get; set; }

    public JobStatus Status { get; set; } = JobStatus.Queued;

    /// <summary>What the job works on, e.g. the dataset id for a training.</summary>
    public string? DatasetId { get; set; }

    /// <summary>For a training: the model it produced. For tests and predictions: the model used.</summary>
    public string? ModelId { get; set; }

    /// <summary>Kind-specific input, written and read by <see cref="JobJson"/> only.</summary>
    public string InputJson { get; set; } = "{}";

    /// <summary>Kind-specific result once succeeded, written and read by <see cref="JobJson"/> only.</summary>
    public string? ResultJson { get; set; }

    public JobProgress Progress { get; set; } = new();

    public string? Error { get; set; }

    public bool CancelRequested { get; set; }

    /// <summary>How many times a worker has started it (every start counts, a graceful stop's too).</summary>
    public int Attempts { get; set; }

    /// <summary>Every time a started job went back to the queue, and why.</summary>
    public List<JobRequeue> Requeues { get; set; } = [];

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>
    /// When the job's visible state last changed. Live events carry it too, so a listener that
    /// mixes a stored snapshot with live events can drop the ones older than what it shows.
    /// </summary>
    public DateTime UpdatedAt { get; set; }

    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    /// <summary>A separate copy (progress included), so a runner's working copy never aliases what a handler reads.</summary>
    public Job Copy()
    {
        var copy = (Job)MemberwiseClone();
        copy.Progress = Progress.Copy();
        copy.Requeues = [.. Requeues.Select(r => new JobRequeue { At = r.At, Reason = r.Reason, Attempt = r.Attempt, Worker = r.Worker })];
        return copy;
    }
}

/// <summary>Where a running job is: stage, done/total, rate, ETA and any metrics so far.</summary>
public sealed class JobProgress
{
    public string Stage { get; set; } = JobStage.Queued.Name;

    public int Done { get; set; }

    public int Total { get; set; }

    /// <summary>Items per second in the current stage.</summary>
    public double? Rate { get; set; }

    public double? EtaSeconds { get; set; }

    /// <summary>Seconds spent per finished stage, in order.</summary>
    public Dictionary<string, double> StageSeconds { get; set; } = [];

    /// <summary>Settings tried so far and how each scored, in the order they finished.</summary>
    public List<JobTrial> Trials { get; set; } = [];

    public double Fraction => Total > 0 ? Math.Clamp((double)Done / Total, 0, 1) : 0;

    public static JobProgress At(JobStage stage) => new() { Stage = stage.Name };

    public JobProgress Copy() => new()
    {
        Stage = Stage,
        Done = Done,
        Total = Total,
        Rate = Rate,
        EtaSeconds = EtaSeconds,
        StageSeconds = new Dictionary<string, double>(StageSeconds),
        Trials = [.. Trials.Select(t => new JobTrial { Setting = t.Setting, Value = t.Value, Score = t.Score })],
    };
}
