using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// <c>Jobs:Workers</c> loops reading job ids from the channel; each runs one job at a time.
/// One job failing (or the store hiccuping) never stops a loop.
/// </summary>
internal sealed class JobWorkerService(
    ChannelJobQueue queue,
    JobRunner runner,
    IOptions<JobOptions> options,
    ILogger<JobWorkerService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => Task.Run(() => LoopAsync(stoppingToken), CancellationToken.None)));

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            string jobId;
            try
            {
                jobId = await queue.DequeueAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await runner.RunAsync(jobId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The job stays durable; recovery or the sweep picks it up again.
                logger.LogError(ex, "Worker could not run job {JobId}", jobId);
            }
        }
    }
}
