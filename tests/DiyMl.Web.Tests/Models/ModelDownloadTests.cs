using DiyMl.Domain.Models;
using DiyMl.Domain.Training;
using DiyMl.Web.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Tests.Models;

/// <summary>Model downloads (zip and ONNX): built into a temporary file that goes when the response ends, a bounded number at once.</summary>
public sealed class ModelDownloadTests
{
    private static readonly TrainedModel Model = new() { Name = "Cats and dogs", ModelTypeId = ModelCatalog.Pixels, ArtifactSha256 = new string('a', 64), Classes = ["cat", "dog"] };

    [Fact]
    public async Task A_download_beyond_the_concurrent_builds_and_queue_is_a_429_with_retry_after_and_the_temp_file_goes_with_the_response()
    {
        using var downloads = new ModelDownload(Options.Create(new DownloadLimitOptions { MaxConcurrent = 1, MaxQueued = 0 }));
        var exporter = new BlockingExporter();

        var first = downloads.ZipAsync(Model, exporter, new DefaultHttpContext(), CancellationToken.None);
        await exporter.Started.Task;
        var refusedContext = new DefaultHttpContext();
        var refused = await downloads.ZipAsync(Model, exporter, refusedContext, CancellationToken.None);
        exporter.Release.SetResult();
        var served = await first;

        Assert.Equal(StatusCodes.Status429TooManyRequests, Assert.IsType<ProblemHttpResult>(refused.Result).StatusCode);
        Assert.False(string.IsNullOrEmpty(refusedContext.Response.Headers.RetryAfter));
        var file = Assert.IsType<FileStreamHttpResult>(served.Result);
        Assert.Equal(("application/zip", "Cats-and-dogs.mlnet.zip"), (file.ContentType, file.FileDownloadName));
        var path = ((FileStream)file.FileStream).Name;
        Assert.True(File.Exists(path));
        Assert.Equal(4, file.FileStream.Length);

        await file.FileStream.DisposeAsync(); // what the response does once sent
        Assert.False(File.Exists(path));

        // The slot is free again once the first export is built.
        exporter.Reset();
        exporter.Release.SetResult();
        var next = await downloads.ZipAsync(Model, exporter, new DefaultHttpContext(), CancellationToken.None);
        await Assert.IsType<FileStreamHttpResult>(next.Result).FileStream.DisposeAsync();
    }

    [Fact]
    public async Task An_onnx_download_takes_a_build_slot_like_a_zip_and_its_temp_file_goes_with_the_response()
    {
        using var downloads = new ModelDownload(Options.Create(new DownloadLimitOptions { MaxConcurrent = 1, MaxQueued = 0 }));
        var onnx = new BlockingOnnxExporter();

        var first = downloads.OnnxAsync(Model, onnx, new DefaultHttpContext(), CancellationToken.None);
        await onnx.Started.Task;
        var zipRefused = await downloads.ZipAsync(Model, new BlockingExporter(), new DefaultHttpContext(), CancellationToken.None);
        var onnxRefused = await downloads.OnnxAsync(Model, onnx, new DefaultHttpContext(), CancellationToken.None);
        onnx.Release.SetResult();
        var served = await first;

        Assert.Equal(StatusCodes.Status429TooManyRequests, Assert.IsType<ProblemHttpResult>(zipRefused.Result).StatusCode);
        Assert.Equal(StatusCodes.Status429TooManyRequests, Assert.IsType<ProblemHttpResult>(onnxRefused.Result).StatusCode);
        var file = Assert.IsType<FileStreamHttpResult>(served.Result);
        Assert.Equal(("application/octet-stream", "Cats-and-dogs.onnx"), (file.ContentType, file.FileDownloadName));
        var path = ((FileStream)file.FileStream).Name;
        Assert.StartsWith(ModelDownload.TempPrefix, Path.GetFileName(path), StringComparison.Ordinal);
        await file.FileStream.DisposeAsync();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_failed_export_leaves_no_temp_file()
    {
        using var downloads = new ModelDownload(Options.Create(new DownloadLimitOptions()));
        var before = Directory.GetFiles(Path.GetTempPath(), "diyml-download-*").Length;

        await Assert.ThrowsAsync<InvalidDataException>(() => downloads.ZipAsync(Model, new FailingExporter(), new DefaultHttpContext(), CancellationToken.None));

        Assert.Equal(before, Directory.GetFiles(Path.GetTempPath(), "diyml-download-*").Length);
    }

    private sealed class BlockingExporter : IModelExporter
    {
        public TaskCompletionSource Started { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Reset() => (Started, Release) = (new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously));

        public async Task ExportAsync(ModelHandle model, Stream destination, CancellationToken ct)
        {
            Started.TrySetResult();
            await Release.Task;
            await destination.WriteAsync("PK\u0003\u0004"u8.ToArray(), ct);
        }
    }

    private sealed class BlockingOnnxExporter : IOnnxModelExporter
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task ExportAsync(ModelHandle model, Stream destination, CancellationToken ct)
        {
            Started.TrySetResult();
            await Release.Task;
            await destination.WriteAsync(new byte[8], ct);
        }
    }

    private sealed class FailingExporter : IModelExporter
    {
        public async Task ExportAsync(ModelHandle model, Stream destination, CancellationToken ct)
        {
            await destination.WriteAsync(new byte[100], ct);
            throw new InvalidDataException("The model file is damaged.");
        }
    }
}
