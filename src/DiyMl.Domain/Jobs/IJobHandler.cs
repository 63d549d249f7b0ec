namespace DiyMl.Domain.Jobs;

/// <summary>
/// Does the work of one <see cref="JobKind"/>. Throwing fails the job with the exception's
/// message; an <see cref="OperationCanceledException"/> after a cancel request cancels it.
/// </summary>
public interface IJobHandler
{
    JobKind Kind { get; }

    Task RunAsync(Job job, IJobContext context, CancellationToken ct);
}

/// <summary>What a running handler may tell the runner.</summary>
public interface IJobContext
{
    /// <summary>
    /// Where the job is: stage name and, when countable, done of total. Cheap to call often: the
    /// event is published at once, the job document is saved at stage changes and every ~2 s.
    /// Rate, ETA and per-stage durations are computed here.
    /// </summary>
    Task ReportAsync(string stage, int done = 0, int total = 0);

    /// <summary>The model this job produced; saved with the job only if it succeeds.</summary>
    void SetModelId(string modelId);

    /// <summary>Kind-specific result (e.g. metrics) as JSON; saved with the job only if it succeeds.</summary>
    void SetResult(string resultJson);
}
