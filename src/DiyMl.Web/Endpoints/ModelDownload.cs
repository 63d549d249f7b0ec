using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using DiyMl.Domain.Models;
using DiyMl.Domain.Training;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Endpoints;

/// <summary>How many model downloads are built at once, bound from the <c>Downloads</c> section.</summary>
public sealed class DownloadLimitOptions
{
    public const string Section = "Downloads";

    /// <summary>
    /// Exports built at the same time. Each loads the ResNet backbone into its own ONNX Runtime
    /// session and writes it out again: measured +367 MB peak for one, +796 MB for two at once
    /// (docs/benchmarks.md), so one at a time and the rest wait their turn.
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrent { get; set; } = 1;

    /// <summary>Downloads that wait their turn; beyond that the answer is a 429 with Retry-After.</summary>
    [Range(0, 1000)]
    public int MaxQueued { get; set; } = 4;
}

/// <summary>
/// The ML.NET zip download with bounded memory: the export is written straight into a temporary
/// file (deleted when the response stream closes, or at once if the export fails) and streamed from
/// there; building it is the expensive part, so only a few are built at once, a few more wait, and
/// the rest are told to come back (429 + Retry-After). Measured figures: docs/benchmarks.md.
/// </summary>
internal sealed class ModelDownload(IOptions<DownloadLimitOptions> options) : IDisposable
{
    private readonly ConcurrencyLimiter _builds = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.MaxConcurrent,
        QueueLimit = options.Value.MaxQueued,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ZipAsync(TrainedModel model, IModelExporter exporter, HttpContext http, CancellationToken ct)
    {
        using var lease = await _builds.AcquireAsync(1, ct);
        if (!lease.IsAcquired)
        {
            http.Response.Headers.RetryAfter = "10";
            return TypedResults.Problem(title: "Too many requests",
                detail: "Several model downloads are being built right now; try again in a few seconds.", statusCode: StatusCodes.Status429TooManyRequests);
        }

        var directory = Path.GetTempPath();
        var file = new FileStream(Path.Combine(directory, "diyml-download-" + Guid.NewGuid().ToString("N") + ".zip"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await exporter.ExportAsync(ModelService.HandleOf(model), file, ct);
            file.Position = 0;
            // The build's hundreds of MB of transient buffers would otherwise stay with the process
            // long after the download (measured: RSS stayed at its peak); give them back now.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return TypedResults.File(file, "application/zip", IModelExporter.FileName(model.Name));
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => _builds.Dispose();
}

internal static class ModelDownloadExtensions
{
    public static IServiceCollection AddModelDownloads(this IServiceCollection services)
    {
        services.AddOptions<DownloadLimitOptions>().BindConfiguration(DownloadLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services.AddSingleton<ModelDownload>();
    }
}
