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

        using var run = new RunningJob(claimed, store, notifier, time, options.Value, instance, logger, stopping);
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

        var now = time.GetUtcNow().UtcDateTime;
        job.Status = JobStatus.Running;
        job.Attempts++;
        job.LeaseOwner = instance.Id;
        job.LeaseExpiresAt = now.AddSeconds(options.Value.LeaseSeconds);
        job.StartedAt = now;
        job.UpdatedAt = now;
        job.Error = null;
        job.Progress = new JobProgress { Stage = "Starting" };
        return await store.TryReplaceAsync(job, ct) ? job : null;
    }

    private async Task<Outcome> ExecuteAsync(Job job, RunningJob run, CancellationToken stopping)
    {
        if (!_handlers.TryGetValue(job.Kind, out var handler))
        {
            return new Outcome(JobStatus.Failed, $"This server cannot run {job.Kind} jobs.");
        }

        using var stopWatching = new CancellationTokenSource();
        var watch = run.WatchAsync(stopWatching.Token);
        try
        {
            await handler.RunAsync(job.Copy(), run, run.Token);
            return new Outcome(JobStatus.Succeeded, null);
        }
        catch (Exception) when (run.LeaseLost)
        {
            return Outcome.Lost;
        }
        catch (Exception) when (run.CancelRequested)
        {
            return new Outcome(JobStatus.Cancelled, null);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return Outcome.Shutdown;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Job {JobId} ({Kind}) failed", job.Id, job.Kind);
            return new Outcome(JobStatus.Failed, Describe(ex));
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watch;
        }
    }

    private async Task FinishAsync(RunningJob run, Outcome outcome)
    {
        if (outcome == Outcome.Lost || run.LeaseLost)
        {
            return;
        }

        if (outcome == Outcome.Shutdown)
        {
            // A graceful stop is not a crash: put the job back without spending an attempt.
            await run.FinishAsync(doc =>
            {
                doc.Status = JobStatus.Queued;
                doc.Attempts = Math.Max(0, doc.Attempts - 1);
                doc.StartedAt = null;
                doc.Progress = new JobProgress { Stage = "Queued" };
            });
            return;
        }

        var (modelId, resultJson) = run.Outputs;
        var now = time.GetUtcNow().UtcDateTime;
        await run.FinishAsync(doc =>
        {
            doc.Status = outcome.Status;
            doc.Error = outcome.Error;
            doc.FinishedAt = now;
            doc.Progress.Rate = outcome.Status == JobStatus.Succeeded ? doc.Progress.Rate : null;
            doc.Progress.EtaSeconds = null;
            if (outcome.Status == JobStatus.Succeeded)
            {
                doc.ModelId = modelId ?? doc.ModelId;
                doc.ResultJson = resultJson ?? doc.ResultJson;
            }
        });
    }

    private static string Describe(Exception ex) =>
        string.IsNullOrWhiteSpace(ex.Message) ? $"The job failed ({ex.GetType().Name})." : ex.Message;

    private sealed record Outcome(JobStatus Status, string? Error)
    {
        public static readonly Outcome Lost = new(JobStatus.Running, "lost");
        public static readonly Outcome Shutdown = new(JobStatus.Queued, "shutdown");
    }
}
