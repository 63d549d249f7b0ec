namespace DiyMl.Domain.Jobs;

/// <summary>An immutable copy of a job's visible state: what live listeners receive.</summary>
public sealed record JobSnapshot(
    string Id,
    string OwnerId,
    JobKind Kind,
    JobStatus Status,
    ProgressSnapshot Progress,
    string? Error,
    string? DatasetId,
    string? ModelId,
    string? ResultJson,
    bool CancelRequested,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    DateTime UpdatedAt)
{
    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    public static JobSnapshot From(Job job) => new(
        job.Id,
        job.OwnerId,
        job.Kind,
        job.Status,
        ProgressSnapshot.From(job.Progress),
        job.Error,
        job.DatasetId,
        job.ModelId,
        job.ResultJson,
        job.CancelRequested,
        job.CreatedAt,
        job.StartedAt,
        job.FinishedAt,
        job.UpdatedAt);
}

public sealed record ProgressSnapshot(
    string Stage,
    int Done,
    int Total,
    double? Rate,
    double? EtaSeconds,
    IReadOnlyDictionary<string, double> StageSeconds)
{
    public double Fraction => Total > 0 ? Math.Clamp((double)Done / Total, 0, 1) : 0;

    public static ProgressSnapshot From(JobProgress progress) => new(
        progress.Stage,
        progress.Done,
        progress.Total,
        progress.Rate,
        progress.EtaSeconds,
        new Dictionary<string, double>(progress.StageSeconds));
}
