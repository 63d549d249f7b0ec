using DiyMl.Domain.Common;
using DiyMl.Domain.Training;

namespace DiyMl.Web.Endpoints;

/// <summary>
/// The <c>format</c> of <c>GET /api/models/{id}/download</c>: absent (or <c>mlnet</c>) is the
/// ML.NET zip, <c>onnx</c> is one ONNX file for any ONNX Runtime. Both are built and served by
/// <see cref="ModelDownload"/> (the same limiter and temporary file).
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
}
