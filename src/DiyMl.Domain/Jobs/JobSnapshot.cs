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
    DateTime UpdatedAt,
    int Attempts = 0,
    string? Notice = null)
{
    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    /// <summary>
    /// The one "newer than" rule of every live view (pages, SSE, the hub, the relay): whether this
    /// update should replace <paramref name="shown"/>. A final state always wins over a running
    /// one, nothing moves a finished job back, and otherwise the later (or same-instant, since one
    /// runner publishes in order) update wins.
    /// </summary>
    public bool Supersedes(JobSnapshot? shown)
    {
        if (shown is null || !string.Equals(shown.Id, Id, StringComparison.Ordinal))
        {
            return true;
        }

        if (shown.IsFinished)
        {
            return IsFinished && UpdatedAt > shown.UpdatedAt;
        }

        return IsFinished || UpdatedAt >= shown.UpdatedAt;
    }

    /// <summary>The same moment of the same job (what a relay need not send again).</summary>
    public bool SameMoment(JobSnapshot? other) =>
        other is not null && other.Id == Id && other.Status == Status && other.UpdatedAt == UpdatedAt;

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
        job.UpdatedAt,
        job.Attempts,
        job.Notice);
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

    /// <summary>Settings tried so far and how each scored (copies: the live list keeps growing).</summary>
    public IReadOnlyList<JobTrial> Trials { get; init; } = [];

    public static ProgressSnapshot From(JobProgress progress) => new(
        progress.Stage,
        progress.Done,
        progress.Total,
        progress.Rate,
        progress.EtaSeconds,
        new Dictionary<string, double>(progress.StageSeconds))
    {
        Trials = [.. progress.Trials.Select(t => new JobTrial { Setting = t.Setting, Value = t.Value, Score = t.Score })],
    };
}
