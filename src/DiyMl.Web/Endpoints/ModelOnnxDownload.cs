using DiyMl.Domain.Common;
using DiyMl.Domain.Models;
using DiyMl.Domain.Training;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

/// <summary>
/// The <c>format</c> of <c>GET /api/models/{id}/download</c>: absent (or <c>mlnet</c>) is the
/// ML.NET zip, <c>onnx</c> is one ONNX file for any ONNX Runtime. The file (~64 MB for transfer
/// models, as it carries the network) is written to a temporary file deleted when the response closes.
/// </summary>
internal static class ModelOnnxDownload
{
    public const string Onnx = "onnx";
    public const string MlNet = "mlnet";

    /// <summary>True for <c>onnx</c>, false for the zip; any other value is a validation error naming <c>format</c>.</summary>
    public static bool IsOnnx(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or MlNet or "zip" => false,
        Onnx => true,
        _ => throw new DomainValidationException("format", $"Unknown format '{format}': use format=onnx for an ONNX file, or leave it out for the ML.NET zip."),
    };

    public static async Task<FileStreamHttpResult> FileAsync(TrainedModel model, IOnnxModelExporter exporter, CancellationToken ct)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await exporter.ExportAsync(ModelService.HandleOf(model), file, ct);
            file.Position = 0;
            return TypedResults.File(file, "application/octet-stream", IOnnxModelExporter.FileName(model.Name));
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }
}
