using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Ml;

public sealed class MlOptions
{
    public const string Section = "Ml";

    /// <summary>
    /// Run ML.NET's training and prediction code once in the background at start-up, so the first
    /// training after a restart is as fast as later ones.
    /// </summary>
    [Required]
    public bool WarmUpOnStart { get; set; } = true;
}

/// <summary>Runs <see cref="MlModelTrainer.WarmUp"/> off the start-up path; a failure is logged, never fatal.</summary>
internal sealed class MlWarmUpService(MlModelTrainer trainer, IOptions<MlOptions> options, ILogger<MlWarmUpService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.WarmUpOnStart ? Task.Run(() => WarmUp(stoppingToken), stoppingToken) : Task.CompletedTask;

    private void WarmUp(CancellationToken ct)
    {
        try
        {
            var watch = Stopwatch.StartNew();
            trainer.WarmUp(ct);
            logger.LogInformation("Machine learning warmed up in {Seconds:F1} s", watch.Elapsed.TotalSeconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Machine learning warm-up failed; the first training will be slower");
        }
    }
}
