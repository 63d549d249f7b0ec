using DiyMl.Domain.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// Makes sure nothing stays stuck. The lease alone decides: a Running job whose lease has
/// expired is re-queued (or failed, see <see cref="Job.Requeue"/>) whoever held it, even this
/// instance's own id before a restart. Queued jobs missing from the channel are announced again.
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
    private const int BatchSize = 1000;

    /// <summary>
    /// Re-queues Running jobs whose lease has expired. At start-up of a single instance (LiteDB:
    /// the data directory lock proves no other process runs) a job claimed before this process
    /// started is orphaned at once, without waiting for its lease. A job claimed after we
    /// started belongs to a live worker even then (the start-up sweep runs in the background).
    /// </summary>
    public async Task RecoverAsync(bool atStartup, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var job in await store.FindByStatusAsync(JobStatus.Running, BatchSize, ct))
        {
            // A runner here renews its lease or stops itself when it cannot; it is never re-queued under it.
            if (registry.IsRunningHere(job.Id))
            {
                continue;
            }

            var claimedBeforeUs = job.StartedAt is null || job.StartedAt <= instance.StartedAt;
            var orphanedByOurRestart = atStartup && instance.SingleInstance && claimedBeforeUs;
            if (orphanedByOurRestart || job.LeaseExpired(now))
            {
                await RecoverOneAsync(job, ReasonFor(job, claimedBeforeUs, orphanedByOurRestart), now, ct);
            }
        }
    }

    /// <summary>Announces up to <paramref name="limit"/> queued jobs (oldest first); returns how many were queued.</summary>
    public async Task<int> AnnounceQueuedAsync(int limit, CancellationToken ct)
    {
        if (options.Value.Workers == 0)
        {
            return 0;
        }

        var queued = await store.FindByStatusAsync(JobStatus.Queued, limit, ct);
        foreach (var job in queued)
        {
            if (!queue.IsWaiting(job.Id))
            {
                queue.Announce(job.Id);
            }
        }

        return queued.Count;
    }

    // A restart is only claimed when it is known: our own restart, or a holder with our id from before we started.
    private RequeueReason ReasonFor(Job job, bool claimedBeforeUs, bool orphanedByOurRestart)
    {
        var heldByOurId = job.LeaseOwner?.StartsWith(instance.Id + ":", StringComparison.Ordinal) == true
            || string.Equals(job.LeaseOwner, instance.Id, StringComparison.Ordinal);
        return orphanedByOurRestart || (heldByOurId && claimedBeforeUs) ? RequeueReason.Restart : RequeueReason.LeaseLost;
    }

    private async Task RecoverOneAsync(Job job, RequeueReason reason, DateTime now, CancellationToken ct)
    {
        var lostBy = job.LeaseOwner;
        var status = job.Requeue(reason, now);

        // A lost race means a live worker renewed or another instance's sweep got there first.
        if (!await store.TryReplaceAsync(job, ct))
        {
            return;
        }

        logger.LogWarning("Job {JobId} held by {Holder} was recovered ({Reason}, attempt {Attempts}); now {Status}", job.Id, lostBy, reason, job.Attempts, status);
        notifier.Publish(JobSnapshot.From(job));
        if (status == JobStatus.Queued)
        {
            queue.Announce(job.Id);
        }
    }
}
