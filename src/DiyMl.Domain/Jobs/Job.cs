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
/// One durable unit of background work (training, a model test, a batch prediction). It is
/// saved before it is announced on the queue; a worker claims it by compare-and-set on
/// <see cref="Entity.Version"/> and holds a lease that it renews while it runs.
/// </summary>
public sealed class Job : Entity, IOwned
{
    public string OwnerId { get; set; } = "";

    public JobKind Kind { get; set; }

    public JobStatus Status { get; set; } = JobStatus.Queued;

    /// <summary>What the job works on, e.g. the dataset id for a training.</summary>
    public string? DatasetId { get; set; }

    /// <summary>For a training: the model it produced. For tests and predictions: the model used.</summary>
    public string? ModelId { get; set; }

    /// <summary>Kind-specific input as JSON (model type and parameters, file manifest…).</summary>
    public string InputJson { get; set; } = "{}";

    /// <summary>Kind-specific result as JSON once succeeded (e.g. a test's metrics).</summary>
    public string? ResultJson { get; set; }

    public JobProgress Progress { get; set; } = new();

    public string? Error { get; set; }

    public bool CancelRequested { get; set; }

    /// <summary>How many times a worker has started it; a job found running after a crash is re-queued once.</summary>
    public int Attempts { get; set; }

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
        return copy;
    }
}

/// <summary>Where a running job is: stage, done/total, rate, ETA and any metrics so far.</summary>
public sealed class JobProgress
{
    public string Stage { get; set; } = "Queued";

    public int Done { get; set; }

    public int Total { get; set; }

    /// <summary>Items per second in the current stage.</summary>
    public double? Rate { get; set; }

    public double? EtaSeconds { get; set; }

    /// <summary>Seconds spent per finished stage, in order.</summary>
    public Dictionary<string, double> StageSeconds { get; set; } = [];

    public double Fraction => Total > 0 ? Math.Clamp((double)Done / Total, 0, 1) : 0;

    public JobProgress Copy() => new()
    {
        Stage = Stage,
        Done = Done,
        Total = Total,
        Rate = Rate,
        EtaSeconds = EtaSeconds,
        StageSeconds = new Dictionary<string, double>(StageSeconds),
    };
}
