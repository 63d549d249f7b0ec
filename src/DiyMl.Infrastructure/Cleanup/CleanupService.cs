using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Cleanup;

/// <summary>Runs <see cref="Cleanup"/> at start-up and then every <c>Storage:SweepMinutes</c>; a failed pass is retried next time.</summary>
internal sealed class CleanupService(
    Cleanup cleanup,
    IOptions<BlobSweepOptions> options,
    TimeProvider clock,
    ILogger<CleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RunAsync(atStartup: true, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.SweepMinutes), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunAsync(atStartup: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task RunAsync(bool atStartup, CancellationToken ct)
    {
        try
        {
            var report = await cleanup.RunAsync(atStartup, ct);
            logger.LogInformation(
                "Clean-up: {Operations} interrupted edits finished, {Jobs} old jobs and {Features} cache entries removed, {Blobs} blobs and {Temp} temp files deleted",
                report.OperationsResumed, report.Retention.JobsRemoved, report.Retention.FeatureEntriesRemoved, report.Blobs.Deleted + report.Blobs.InterruptedRemoved, report.TempFilesRemoved);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Clean-up failed; will retry at the next sweep");
        }
    }
}
