using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>Start-up recovery, then a periodic sweep of expired leases (several instances may share one MongoDB).</summary>
internal sealed class JobSweepService(
    JobRecovery recovery,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<JobSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SweepAsync(atStartup: true, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepAsync(atStartup: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task SweepAsync(bool atStartup, CancellationToken ct)
    {
        try
        {
            await recovery.RecoverAsync(atStartup, ct);
            await recovery.AnnounceQueuedAsync(options.Value.QueueCapacity, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Job sweep failed; will retry");
        }
    }
}
