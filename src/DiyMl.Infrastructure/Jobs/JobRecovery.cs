using DiyMl.Domain.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// Makes sure nothing stays stuck: a job Running without a live lease (its worker died) is
/// re-queued once, then failed with a reason; queued jobs missing from the channel are announced again.
/// </summary>
internal sealed class JobRecovery(
    IJobStore store,
    ChannelJobQueue queue,
    IJobNotifier notifier,
    LocalJobRegistry registry,
    JobInstance instance,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<JobRecovery> logger)
{
    public const string InterruptedTwice =
        "The job was interrupted twice by a restart, so it was not started a third time. Start it again when the server is stable.";

    private const int BatchSize = 1000;

    /// <summary>
    /// At start-up on a single instance every Running job claimed before this process started is
    /// orphaned; otherwise (or later) only those whose lease has expired. A job claimed after we
    /// started belongs to a live worker even in "single" mode (the start-up sweep runs in the
    /// background, so it can see claims made since; treating those as orphans ran jobs twice).
    /// </summary>
    public async Task RecoverAsync(bool atStartup, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var job in await store.FindByStatusAsync(JobStatus.Running, BatchSize, ct))
        {
            if (registry.IsRunningHere(job.Id) || string.Equals(job.LeaseOwner, instance.Id, StringComparison.Ordinal))
            {
                continue;
            }

            var claimedBeforeUs = job.StartedAt is null || job.StartedAt <= instance.StartedAt;
            var orphaned = (atStartup && instance.SingleInstance && claimedBeforeUs) || job.LeaseExpiresAt is null || job.LeaseExpiresAt < now;
            if (orphaned)
            {
                await RecoverOneAsync(job, now, ct);
            }
        }
    }

    public async Task AnnounceQueuedAsync(CancellationToken ct)
    {
        if (options.Value.Workers == 0)
        {
            return;
        }

        foreach (var job in await store.FindByStatusAsync(JobStatus.Queued, options.Value.QueueCapacity, ct))
        {
            if (!queue.IsWaiting(job.Id))
            {
                queue.Announce(job.Id);
            }
        }
    }

    private async Task RecoverOneAsync(Job job, DateTime now, CancellationToken ct)
    {
        var requeue = !job.CancelRequested && job.Attempts < 2;
        job.LeaseOwner = null;
        job.LeaseExpiresAt = null;
        job.UpdatedAt = now;
        job.Progress.Rate = null;
        job.Progress.EtaSeconds = null;
        if (job.CancelRequested)
        {
            job.Status = JobStatus.Cancelled;
            job.FinishedAt = now;
        }
        else if (requeue)
        {
            job.Status = JobStatus.Queued;
            job.Progress = new JobProgress { Stage = "Queued" };
        }
        else
        {
            job.Status = JobStatus.Failed;
            job.Error = InterruptedTwice;
            job.FinishedAt = now;
        }

        // A lost race means a live worker or another instance's sweep got there first.
        if (!await store.TryReplaceAsync(job, ct))
        {
            return;
        }

        logger.LogWarning("Job {JobId} was interrupted (attempt {Attempts}); now {Status}", job.Id, job.Attempts, job.Status);
        notifier.Publish(JobSnapshot.From(job));
        if (requeue)
        {
            queue.Announce(job.Id);
        }
    }
}
