using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Predictions;
using DiyMl.Domain.Training;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

/// <summary>
/// Predictions over REST. <c>POST /api/models/{id}/predictions</c> answers at once; a script with
/// an API key may use published models only and gets 404 for any other (as for ids it may not see).
/// <c>POST /api/published-models/{publicationId}/predictions</c> follows a published name to whichever
/// model version it points at now. Many images or zips go to a prediction job instead.
/// </summary>
public static class PredictionEndpoints
{
    /// <summary>One answer; <c>predictionId</c> appears only when the model keeps the pictures it is asked about.</summary>
    public sealed record PredictionDto(string FileName, string? Label, double? Confidence, bool? Uncertain, IReadOnlyList<ScoredLabel>? Top, string? Error,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? PredictionId = null);

    public static RouteGroupBuilder MapPredictionEndpoints(this RouteGroupBuilder api)
    {
        var models = api.MapGroup("/models").WithTags("Predictions").RequireAuthorization();
        models.MapPost("/{id}/predictions", PredictAsync).WithName("Predict").DisableAntiforgery();
        models.MapPost("/{id}/prediction-jobs", StartJobAsync).WithName("StartPredictionJob").DisableAntiforgery()
            .AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<PredictionJobRateLimits>().InvokeAsync(context, next)); // one shared limiter, not one per request
        models.MapGet("/{id}/prediction-jobs/{jobId}/results", ResultsAsync).WithName("PredictionJobResults");
        api.MapPost("/published-models/{publicationId}/predictions", PredictPublishedAsync)
            .WithTags("Predictions").RequireAuthorization().WithName("PredictPublished").DisableAntiforgery();
        return api;
    }

    internal static async Task<Ok<IReadOnlyList<PredictionDto>>> PredictAsync(
        string id, int? k, HttpContext http, PredictionService service, DatasetOptions options, CancellationToken ct)
    {
        var caller = PredictionCallers.From(http);
        var model = await service.ResolveAsync(caller, id, ct);
        var form = await PredictionUpload.ReadInMemoryAsync(http, options, ct);
        var answers = await service.PredictWithAsync(caller, model, form.Files, k ?? form.K, ct);
        return TypedResults.Ok<IReadOnlyList<PredictionDto>>([.. answers.Select(ToDto)]);
    }

    internal static async Task<Ok<IReadOnlyList<PredictionDto>>> PredictPublishedAsync(
        string publicationId, int? k, HttpContext http, PredictionService service, DatasetOptions options, CancellationToken ct)
    {
        var caller = PredictionCallers.From(http);
        var model = await service.ResolvePublicationAsync(caller, publicationId, ct);
        var form = await PredictionUpload.ReadInMemoryAsync(http, options, ct);
        var answers = await service.PredictWithAsync(caller, model, form.Files, k ?? form.K, ct);
        return TypedResults.Ok<IReadOnlyList<PredictionDto>>([.. answers.Select(ToDto)]);
    }

    /// <summary>Starts a job on many images or zips; an upload with no usable picture is a 422 with the per-file report, and stores nothing.</summary>
    internal static async Task<Results<Accepted<JobDto>, ProblemHttpResult>> StartJobAsync(
        string id, int? k, HttpContext http, BatchPredictionService service, DatasetOptions options, CancellationToken ct)
    {
        var caller = PredictionCallers.From(http);
        await service.ResolveAsync(caller, id, ct); // an unknown or hidden model is a 404 before a byte of the body is read
        await using var form = await PredictionUpload.SpoolAsync(http, options, ct);
        try
        {
            var job = await service.StartAsync(caller, id, form.Files, k ?? form.K, ct);
            return TypedResults.Accepted($"/api/jobs/{job.Id}", JobDto.From(job));
        }
        catch (UnusableUploadException e)
        {
            return TypedResults.Problem(title: "Nothing could be used", detail: e.Message, statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?> { ["files"] = e.Files.Select(f => new { f.FileName, f.Error }).ToList() });
        }
    }

    internal static async Task<Results<Ok<IReadOnlyList<PredictionDto>>, ContentHttpResult>> ResultsAsync(
        string id, string jobId, string? format, HttpContext http, BatchPredictionResults results, CancellationToken ct)
    {
        if (format is not (null or "json" or "csv"))
        {
            throw new DomainValidationException("format", "format must be json or csv.");
        }

        var answers = await results.GetAsync(http.User.GetUserId(), id, jobId, ct);
        if (format == "csv")
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"predictions-{jobId}.csv\"";
            return TypedResults.Text(BatchPredictionResults.ToCsv(answers), "text/csv; charset=utf-8");
        }

        return TypedResults.Ok<IReadOnlyList<PredictionDto>>([.. answers.Select(ToDto)]);
    }

    internal static PredictionDto ToDto(ImagePrediction p) => new(p.FileName, p.Label, p.Confidence, p.Uncertain, p.Top, p.Error, p.PredictionId);
}
