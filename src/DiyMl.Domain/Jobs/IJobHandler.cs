namespace DiyMl.Domain.Jobs;

/// <summary>
/// What the runner calls for one <see cref="JobKind"/>. Features implement it through
/// <see cref="JobHandler{TInput, TResult}"/>, which gives each kind a typed input and result.
/// Throwing fails the job with the exception's message; an <see cref="OperationCanceledException"/>
/// after a cancel request cancels it.
/// </summary>
public interface IJobHandler
{
    JobKind Kind { get; }

    Task RunAsync(Job job, IJobContext context, CancellationToken ct);
}

/// <summary>A kind's contract: its input is read from the job and its result written through <see cref="JobJson"/>.</summary>
public abstract class JobHandler<TInput, TResult> : IJobHandler
    where TResult : class
{
    public abstract JobKind Kind { get; }

    async Task IJobHandler.RunAsync(Job job, IJobContext context, CancellationToken ct)
    {
        await context.ReportAsync(JobStage.Preparing);
        var result = await RunAsync(job, JobJson.Input<TInput>(job), context, ct);
        context.SetResult(result);
    }

    protected abstract Task<TResult> RunAsync(Job job, TInput input, IJobContext context, CancellationToken ct);
}

/// <summary>What a running handler may tell the runner.</summary>
public interface IJobContext
{
    /// <summary>
    /// Where the job is: stage and, when countable, done of total. Cheap to call often: the
    /// event is published at once, the job document is saved at stage changes and every ~2 s.
    /// Rate, ETA and per-stage durations are computed here.
    /// </summary>
    Task ReportAsync(JobStage stage, int done = 0, int total = 0);

    /// <summary>
    /// The same with the handler's own rate, time left and a tried setting (see
    /// <see cref="ProgressDetail"/>). Contexts that keep no such detail just report the counts.
    /// </summary>
    Task ReportAsync(JobStage stage, int done, int total, ProgressDetail detail) => ReportAsync(stage, done, total);

    /// <summary>The model this job produced; saved with the job only if it succeeds.</summary>
    void SetModelId(string modelId);

    /// <summary>The kind's result; serialized by <see cref="JobJson"/> and saved only if the job succeeds.</summary>
    void SetResult<TResult>(TResult result)
        where TResult : class;
}
