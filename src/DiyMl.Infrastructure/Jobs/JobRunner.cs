using DiyMl.Domain.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// Runs one announced job: claims it by compare-and-set (a lost race means another worker has
/// it), runs its handler with a watched lease, and records how it ended. Never throws for a
/// handler's failure.
/// </summary>
internal sealed class JobRunner(
    IJobStore store,
    IEnumerable<IJobHandler> handlers,
    IJobNotifier notifier,
    LocalJobRegistry registry,
    JobInstance instance,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    // The last registration of a kind wins, so a host (or a test) can replace a feature's handler.
    private readonly Dictionary<JobKind, IJobHandler> _handlers = handlers.GroupBy(h => h.Kind).ToDictionary(g => g.Key, g => g.Last());

    public async Task RunAsync(string jobId, CancellationToken stopping)
    {
        var claimed = await TryClaimAsync(jobId, stopping);
        if (claimed is null)
        {
            return;
        }

        using var run = new RunningJob(claimed, store, notifier, time, options.Value, logger, stopping);
        registry.Add(run);
        try
        {
            notifier.Publish(run.Snapshot());
            var outcome = await ExecuteAsync(claimed, run, stopping);
            await FinishAsync(run, outcome);
        }
        finally
        {
            registry.Remove(run);
        }
    }

    private async Task<Job?> TryClaimAsync(string jobId, CancellationToken ct)
    {
        var job = await store.GetAsync(jobId, ct);
        if (job is not { Status: JobStatus.Queued })
        {
            return null;
        }

        // A holder per claim: a restarted process with the same instance id is not the old runner.
        var holder = $"{instance.Id}:{Guid.NewGuid().ToString("N")[..8]}";
        job.Claim(holder, time.GetUtcNow().UtcDateTime, TimeSpan.FromSeconds(options.Value.LeaseSeconds));
        return await store.TryReplaceAsync(job, ct) ? job : null;
    }

    private async Task<Outcome> ExecuteAsync(Job job, RunningJob run, CancellationToken stopping)
    {
        if (!_handlers.TryGetValue(job.Kind, out var handler))
        {
            return Outcome.Failed($"This server cannot run {job.Kind} jobs.");
        }

        using var stopWatching = new CancellationTokenSource();
        var watch = run.WatchAsync(stopWatching.Token);
        try
        {
            await handler.RunAsync(job.Copy(), run, run.Token);
            return Outcome.Succeeded;
        }
        catch (Exception) when (run.LeaseLost)
        {
            return Outcome.Lost;
        }
        catch (Exception) when (run.CancelRequested)
        {
            return Outcome.Cancelled;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return Outcome.Shutdown;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Job {JobId} ({Kind}) failed", job.Id, job.Kind);
            return Outcome.Failed(Describe(ex));
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watch;
        }
    }

    private async Task FinishAsync(RunningJob run, Outcome outcome)
    {
        // Stopped because the lease ran out: write nothing; the lease's expiry re-queues it (LeaseLost).
        if (outcome.Kind == OutcomeKind.Lost)
        {
            return;
        }

        var (modelId, resultJson) = run.Outputs;
        var saved = await run.FinishAsync((doc, now) =>
        {
            switch (outcome.Kind)
            {
                case OutcomeKind.Succeeded:
                    doc.Succeed(now, modelId, resultJson);
                    break;
                case OutcomeKind.Cancelled:
                    doc.ConfirmCancelled(now);
                    break;
                case OutcomeKind.Shutdown:
                    // A graceful stop is not a crash: back to the queue, not held against the job.
                    doc.Requeue(RequeueReason.Shutdown, now);
                    break;
                default:
                    doc.Fail(now, outcome.Error ?? "The job failed.");
                    break;
            }
        });
        if (!saved)
        {
            logger.LogWarning(
                "Job {JobId} ended here ({Outcome}) after it was re-queued elsewhere; this run's outcome was dropped (model {ModelId})",
                run.Id, outcome.Kind, modelId);
        }
    }

    private static string Describe(Exception ex) =>
        string.IsNullOrWhiteSpace(ex.Message) ? $"The job failed ({ex.GetType().Name})." : ex.Message;

    private enum OutcomeKind
    {
        Succeeded,
        Failed,
        Cancelled,
        Shutdown,
        Lost,
    }

    private sealed record Outcome(OutcomeKind Kind, string? Error = null)
    {
        public static readonly Outcome Succeeded = new(OutcomeKind.Succeeded);
        public static readonly Outcome Cancelled = new(OutcomeKind.Cancelled);
        public static readonly Outcome Shutdown = new(OutcomeKind.Shutdown);
        public static readonly Outcome Lost = new(OutcomeKind.Lost);

        public static Outcome Failed(string error) => new(OutcomeKind.Failed, error);
    }
}
