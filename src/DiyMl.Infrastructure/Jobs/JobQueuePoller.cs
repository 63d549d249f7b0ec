using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// On a worker instance, finds jobs queued by other instances (a web-only one cannot announce
/// to our channel): a small "oldest queued" query, fast while jobs come and backing off while
/// none do. Jobs created here are announced directly and do not wait for it.
/// </summary>
internal sealed class JobQueuePoller(
    JobRecovery recovery,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<JobQueuePoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.Workers == 0)
        {
            return;
        }

        var fastest = TimeSpan.FromSeconds(o.QueuedPollSeconds);
        var slowest = TimeSpan.FromSeconds(Math.Max(o.QueuedPollSeconds, o.QueuedPollMaxSeconds));
        var limit = Math.Min(o.QueueCapacity, o.Workers * 4);
        var delay = fastest;
        try
        {
            while (true)
            {
                await Task.Delay(delay, time, stoppingToken);
                try
                {
                    var found = await recovery.AnnounceQueuedAsync(limit, stoppingToken);
                    delay = found > 0 ? fastest : Min(delay * 2, slowest);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Looking for queued jobs failed; will retry");
                    delay = slowest;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
