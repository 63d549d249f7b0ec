using System.Collections.Concurrent;
using DiyMl.Domain.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// Brings progress of jobs running on another instance to listeners here: for every job (or
/// owner) someone subscribed to, the saved document is polled and republished when it is newer
/// than what was last published. Jobs running in this process publish directly and are skipped.
/// </summary>
internal sealed class JobProgressRelay(
    IJobStore store,
    IJobNotifier notifier,
    LocalJobRegistry registry,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<JobProgressRelay> logger) : BackgroundService
{
    private const int OwnerBatch = 50;

    // Active jobs seen for subscribed owners, kept until their final state has been relayed.
    private readonly ConcurrentDictionary<string, byte> _watching = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RelaySeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RelayOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Relaying job progress failed; will retry");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    internal async Task RelayOnceAsync(CancellationToken ct)
    {
        var owners = notifier.SubscribedOwnerIds;
        if (owners.Count > 0)
        {
            var ownerSet = owners.ToHashSet(StringComparer.Ordinal);
            foreach (var status in new[] { Domain.Jobs.JobStatus.Queued, Domain.Jobs.JobStatus.Running })
            {
                foreach (var job in await store.FindByStatusAsync(status, OwnerBatch * ownerSet.Count, ct))
                {
                    if (ownerSet.Contains(job.OwnerId))
                    {
                        _watching.TryAdd(job.Id, 0);
                    }
                }
            }
        }

        foreach (var id in notifier.SubscribedJobIds.Concat(_watching.Keys).Distinct(StringComparer.Ordinal))
        {
            if (registry.IsRunningHere(id))
            {
                continue;
            }

            var job = await store.GetAsync(id, ct);
            if (job is null || job.IsFinished)
            {
                _watching.TryRemove(id, out _);
            }

            if (job is not null && JobSnapshot.From(job) is var stored
                && stored.Supersedes(notifier.LastPublished(id)) && !stored.SameMoment(notifier.LastPublished(id)))
            {
                notifier.Publish(stored);
            }
        }
    }
}
