using System.Security.Claims;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Predictions;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

public sealed record KeptPredictionDto(string Id, string FileName, string Label, double Confidence, bool Uncertain, DateTime CreatedAt, DateTime ExpiresAt)
{
    public static KeptPredictionDto From(KeptPrediction k) => new(k.Id, k.FileName, k.Label, k.Confidence, k.Uncertain, k.CreatedAt, k.ExpiresAt);
}

public sealed record FromPredictionsRequest(IReadOnlyList<string>? PredictionIds, string? Label);

/// <summary>
/// The prediction log of a model that keeps the pictures it is asked about
/// (<c>PATCH /api/models/{id} {"keepPredictionImages": true}</c>), and filing kept pictures into a dataset.
/// </summary>
public static class PredictionLogEndpoints
{
    public static RouteGroupBuilder MapPredictionLogEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/models/{id}/prediction-log", ListAsync).WithName("ListKeptPredictions").WithTags("Models");
        api.MapGet("/models/{id}/prediction-log/{predictionId}/content", ContentAsync).WithName("GetKeptPredictionContent").WithTags("Models");
        api.MapPost("/datasets/{id}/images/from-predictions", FileAsync).WithName("AddImagesFromPredictions").WithTags("Datasets");
        return api;
    }

    /// <summary><c>?uncertain=true</c> for the unsure ones only, <c>?order=leastSure</c> for the least sure first (default newest).</summary>
    internal static async Task<Ok<ListDto<KeptPredictionDto>>> ListAsync(
        string id, bool? uncertain, string? order, int? page, int? pageSize, ClaimsPrincipal user, PredictionLogService log, CancellationToken ct)
    {
        var sort = order switch
        {
            null or "" or "newest" => PredictionLogOrder.Newest,
            "leastSure" => PredictionLogOrder.LeastSure,
            _ => throw new Domain.Common.DomainValidationException("order", "Order is 'newest' or 'leastSure'."),
        };
        var result = await log.ListAsync(user.GetUserId(), id, uncertain, sort, page ?? 1, pageSize ?? 50, ct);
        return TypedResults.Ok(new ListDto<KeptPredictionDto>(result.Items.Select(KeptPredictionDto.From).ToList(), result.Total));
    }

    internal static async Task<FileStreamHttpResult> ContentAsync(string id, string predictionId, ClaimsPrincipal user, PredictionLogService log, HttpContext http, CancellationToken ct)
    {
        var content = await log.OpenAsync(user.GetUserId(), id, predictionId, ct);
        http.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(content.Content, content.ContentType);
    }

    /// <summary>Body <c>{"predictionIds": ["…"], "label": "cat"}</c>; answers the same per-file report as an upload.</summary>
    internal static async Task<Ok<IngestReport>> FileAsync(string id, FromPredictionsRequest? request, ClaimsPrincipal user, PredictionLogService log, CancellationToken ct) =>
        TypedResults.Ok(await log.FileIntoDatasetAsync(user.GetUserId(), id, request?.PredictionIds ?? [], request?.Label, ct));
}
