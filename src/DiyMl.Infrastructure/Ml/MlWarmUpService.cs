using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Ml;

/// <summary>Which ResNet18 new models are trained on; a stored model always runs on the one it was trained on.</summary>
public enum NetworkPrecision
{
    /// <summary>The quantized network (<see cref="Quantization.Int8Network"/>): about three times the FP32 rate on VNNI cores, about the same on plain AVX2 ones.</summary>
    Int8,

    /// <summary>The package's FP32 network as it is.</summary>
    Fp32,
}

public sealed class MlOptions
{
    public const string Section = "Ml";

    /// <summary><c>Ml:Precision</c>: the network new models are trained on (feature space v2 at INT8 or FP32).</summary>
    [Required]
    public NetworkPrecision Precision { get; set; } = NetworkPrecision.Int8;

    /// <summary>
    /// Run ML.NET's training and prediction code once in the background at start-up, so the first
    /// training after a restart is as fast as later ones.
    /// </summary>
    [Required]
    public bool WarmUpOnStart { get; set; } = true;
}

/// <summary>Runs <see cref="MlModelTrainer.WarmUp"/> off the start-up path; a failure is logged, never fatal.</summary>
internal sealed class MlWarmUpService(MlModelTrainer trainer, Lazy<ResNetFeaturizer> resnet, IOptions<MlOptions> options, ILogger<MlWarmUpService> logger) : BackgroundService
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
            if (options.Value.Precision == NetworkPrecision.Int8)
            {
                // Produced once per data directory (~15 s on 2 cores the first time), so the first
                // training does not wait for it; later starts only check the file's hash.
                watch.Restart();
                var path = resnet.Value.Int8BackbonePath();
                logger.LogInformation("INT8 network ready in {Seconds:F1} s: {Path}", watch.Elapsed.TotalSeconds, path);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Machine learning warm-up failed; the first training will be slower");
        }
    }
}
