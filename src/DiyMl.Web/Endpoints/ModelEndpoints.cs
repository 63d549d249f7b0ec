using DiyMl.Domain.Models;
using DiyMl.Domain.Training;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

public static class ModelEndpoints
{
    public sealed record ModelSummaryDto(string Id, string Name, string ModelType, string DatasetId, double Accuracy,
        double MacroF1, IReadOnlyList<string> Classes, long ArtifactBytes, DateTime CreatedAt);

    public sealed record ModelDto(string Id, string Name, string ModelType, string DatasetId, string JobId,
        IReadOnlyList<string> Classes, Evaluation Validation, IReadOnlyDictionary<string, double> Parameters, int Seed,
        int TrainImages, int ValidationImages, string ManifestHash, int LeakagePairs,
        IReadOnlyDictionary<string, double> StageSeconds, IReadOnlyDictionary<string, string> LibraryVersions,
        int CoreCount, long ArtifactBytes, double UncertaintyThreshold, bool KeepPredictionImages, DateTime CreatedAt,
        IReadOnlyList<LearningCurvePointDto> LearningCurve, string? LearningCurveAdvice);

    /// <summary>Validation accuracy (0..1) when learning from this many training pictures; empty for models trained before curves.</summary>
    public sealed record LearningCurvePointDto(int Images, double Accuracy);

    public sealed record ModelListDto(IReadOnlyList<ModelSummaryDto> Items, long Total);

    public sealed record ModelUpdate(string? Name, double? UncertaintyThreshold, bool? KeepPredictionImages);

    public static RouteGroupBuilder MapModelEndpoints(this RouteGroupBuilder api)
    {
        var models = api.MapGroup("/models").WithTags("Models");
        models.MapGet("/", ListAsync).WithName("ListModels");
        models.MapGet("/{id}", GetAsync).WithName("GetModel");
        models.MapPatch("/{id}", UpdateAsync).WithName("UpdateModel");
        models.MapDelete("/{id}", DeleteAsync).WithName("DeleteModel");
        models.MapGet("/{id}/download", DownloadAsync).WithName("DownloadModel");
        return api;
    }

    internal static async Task<Ok<ModelListDto>> ListAsync(ModelService service, HttpContext http, int? page, int? pageSize, CancellationToken ct)
    {
        var result = await service.ListAsync(http.User.GetUserId(), page ?? 1, pageSize ?? 50, ct);
        return TypedResults.Ok(new ModelListDto(result.Items.Select(ToSummary).ToList(), result.Total));
    }

    internal static async Task<Ok<ModelDto>> GetAsync(string id, ModelService service, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await service.GetAsync(http.User.GetUserId(), id, ct)));

    internal static async Task<Ok<ModelDto>> UpdateAsync(string id, ModelUpdate update, ModelService service, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await service.UpdateAsync(http.User.GetUserId(), id, update.Name, update.UncertaintyThreshold, update.KeepPredictionImages, ct)));

    internal static async Task<NoContent> DeleteAsync(string id, ModelService service, HttpContext http, CancellationToken ct)
    {
        await service.DeleteAsync(http.User.GetUserId(), id, ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The ML.NET zip by default (tens of MB for transfer models, as it carries the backbone);
    /// <c>?format=onnx</c> gives one ONNX file instead; both built with bounded memory by <see cref="ModelDownload"/>.
    /// </summary>
    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(string id, string? format, ModelService service, IModelExporter exporter, IOnnxModelExporter onnx, ModelDownload downloads, HttpContext http, CancellationToken ct)
    {
        var asOnnx = ModelOnnxDownload.IsOnnx(format);
        var model = await service.GetAsync(http.User.GetUserId(), id, ct);
        if (asOnnx)
        {
            return await downloads.OnnxAsync(model, onnx, http, ct);
        }

        return await downloads.ZipAsync(model, exporter, http, ct);
    }

    internal static ModelSummaryDto ToSummary(TrainedModel m) =>
        new(m.Id, m.Name, m.ModelTypeId, m.DatasetId, m.Validation.Accuracy, m.Validation.MacroF1, m.Classes, m.ArtifactBytes, m.CreatedAt);

    internal static ModelDto ToDto(TrainedModel m) =>
        new(m.Id, m.Name, m.ModelTypeId, m.DatasetId, m.JobId, m.Classes, m.Validation, m.Parameters, m.Seed,
            m.TrainImageIds.Count, m.ValidationImageIds.Count, m.ManifestHash, m.LeakagePairs, m.StageSeconds,
            m.LibraryVersions, m.CoreCount, m.ArtifactBytes, m.UncertaintyThreshold, m.KeepPredictionImages, m.CreatedAt,
            [.. m.LearningCurve.Select(p => new LearningCurvePointDto(p.Images, p.Accuracy))], LearningCurves.Sentence(m.LearningCurve));
}
