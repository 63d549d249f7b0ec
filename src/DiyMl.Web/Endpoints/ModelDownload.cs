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
    /// Exports built at the same time. An ML.NET zip is composed from a cached featurizer part
    /// (stream copies: +4 MB measured); an ONNX file is built in memory around a copy of the network
    /// (+93 MB), and the first zip of a feature space builds its part once (+550 MB): one at a time
    /// keeps the worst case at one such build (docs/benchmarks.md, "Model downloads").
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrent { get; set; } = 1;

    /// <summary>Downloads that wait their turn; beyond that the answer is a 429 with Retry-After.</summary>
    [Range(0, 1000)]
    public int MaxQueued { get; set; } = 4;
}

/// <summary>
/// Model downloads (the ML.NET zip and the ONNX file) with bounded memory: the export is written
/// straight into a temporary file (deleted when the response stream closes, or at once if the
/// export fails) and streamed from there; only a few are built at once, a few more wait, and the
/// rest are told to come back (429 + Retry-After). Measured figures: docs/benchmarks.md.
/// </summary>
internal sealed class ModelDownload(IOptions<DownloadLimitOptions> options) : IDisposable
{
    public const string TempPrefix = "diyml-download-";
    private const long CollectAfterBytes = 64L << 20;

    private readonly ConcurrencyLimiter _builds = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.MaxConcurrent,
        QueueLimit = options.Value.MaxQueued,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public Task<Results<FileStreamHttpResult, ProblemHttpResult>> ZipAsync(TrainedModel model, IModelExporter exporter, HttpContext http, CancellationToken ct) =>
        ServeAsync((file, token) => exporter.ExportAsync(ModelService.HandleOf(model), file, token), "application/zip", IModelExporter.FileName(model.Name), http, ct);

    public Task<Results<FileStreamHttpResult, ProblemHttpResult>> OnnxAsync(TrainedModel model, IOnnxModelExporter exporter, HttpContext http, CancellationToken ct) =>
        ServeAsync((file, token) => exporter.ExportAsync(ModelService.HandleOf(model), file, token), "application/octet-stream", IOnnxModelExporter.FileName(model.Name), http, ct);

    private async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ServeAsync(Func<Stream, CancellationToken, Task> export, string contentType, string fileName, HttpContext http, CancellationToken ct)
    {
        using var lease = await _builds.AcquireAsync(1, ct);
        if (!lease.IsAcquired)
        {
            http.Response.Headers.RetryAfter = "10";
            return TypedResults.Problem(title: "Too many requests",
                detail: "Several model downloads are being built right now; try again in a few seconds.", statusCode: StatusCodes.Status429TooManyRequests);
        }

        var file = new FileStream(Path.Combine(Path.GetTempPath(), TempPrefix + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var allocated = GC.GetTotalAllocatedBytes();
            await export(file, ct);
            file.Position = 0;
            if (GC.GetTotalAllocatedBytes() - allocated > CollectAfterBytes)
            {
                // A build's transient buffers (an ONNX file's protobuf, a first featurizer part) would
                // otherwise stay with the process long after the download (measured: RSS stayed at its
                // peak). A composed zip allocates little, and a blocking collection pauses every request.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
            return TypedResults.File(file, contentType, fileName);
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
