using System.Collections.Concurrent;
using DiyMl.Domain.Jobs;

namespace DiyMl.Infrastructure.Tests.Jobs;

/// <summary>
/// A stand-in for the real handlers: counts runs per job and does whatever the test scripts,
/// typically advancing through steps and waiting on a signal the test controls.
/// </summary>
internal sealed class ScriptedHandler(Func<Job, IJobContext, CancellationToken, Task>? script = null) : IJobHandler
{
    private readonly ConcurrentDictionary<string, int> _runs = new();

    public JobKind Kind { get; init; } = JobKind.Training;

    public Func<Job, IJobContext, CancellationToken, Task> Script { get; set; } = script ?? ((_, _, _) => Task.CompletedTask);

    public int RunsOf(string jobId) => _runs.GetValueOrDefault(jobId);

    public int TotalRuns => _runs.Values.Sum();

    public Task RunAsync(Job job, IJobContext context, CancellationToken ct)
    {
        _runs.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
        return Script(job, context, ct);
    }
}

/// <summary>A handler script that reports one step, says it started, then waits for the test (or its token).</summary>
internal sealed class Gate
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _tokenTripped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => _started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    public Task TokenTripped => _tokenTripped.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    public void Release() => _release.TrySetResult();

    public async Task RunAsync(Job job, IJobContext context, CancellationToken ct)
    {
        await context.ReportAsync(JobStage.Named("Featurizing"), 3, 10);
        _started.TrySetResult();
        try
        {
            await _release.Task.WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _tokenTripped.TrySetResult();
            throw;
        }

        await context.ReportAsync(JobStage.Named("Fitting"));
        context.SetModelId("model-of-" + job.Id);
        context.SetResult(new { Accuracy = 0.9 });
    }
}
