using DiyMl.Domain.Common;
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
        models.MapPost("/{id}/prediction-jobs", StartJobAsync).WithName("StartPredictionJob").DisableAntiforgery();
        models.MapGet("/{id}/prediction-jobs/{jobId}/results", ResultsAsync).WithName("PredictionJobResults");
        api.MapPost("/published-models/{publicationId}/predictions", PredictPublishedAsync)
            .WithTags("Predictions").RequireAuthorization().WithName("PredictPublished").DisableAntiforgery();
        return api;
    }

    internal static async Task<Ok<IReadOnlyList<PredictionDto>>> PredictAsync(
        string id, int? k, HttpContext http, PredictionService service, CancellationToken ct)
    {
        var caller = PredictionCallers.From(http);
        var model = await service.ResolveAsync(caller, id, ct);
        var form = await ReadFormAsync(http, ct);
        var answers = await service.PredictWithAsync(caller, model, Files(form), k ?? FormK(form), ct);
        return TypedResults.Ok<IReadOnlyList<PredictionDto>>([.. answers.Select(ToDto)]);
    }

    internal static async Task<Ok<IReadOnlyList<PredictionDto>>> PredictPublishedAsync(
        string publicationId, int? k, HttpContext http, PredictionService service, CancellationToken ct)
    {
        var caller = PredictionCallers.From(http);
        var model = await service.ResolvePublicationAsync(caller, publicationId, ct);
        var form = await ReadFormAsync(http, ct);
        var answers = await service.PredictWithAsync(caller, model, Files(form), k ?? FormK(form), ct);
        return TypedResults.Ok<IReadOnlyList<PredictionDto>>([.. answers.Select(ToDto)]);
    }

    internal static async Task<Accepted<JobDto>> StartJobAsync(
        string id, int? k, HttpContext http, BatchPredictionService service, CancellationToken ct)
    {
        var caller = PredictionCallers.From(http);
        var form = await ReadFormAsync(http, ct);
        var job = await service.StartAsync(caller, id, Files(form), k ?? FormK(form), ct);
        return TypedResults.Accepted($"/api/jobs/{job.Id}", JobDto.From(job));
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

    private static async Task<IFormCollection> ReadFormAsync(HttpContext http, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            throw new DomainValidationException("files", "Send the images as multipart/form-data in the field 'files' (repeat it for many files).");
        }

        try
        {
            return await http.Request.ReadFormAsync(ct);
        }
        catch (InvalidDataException ex)
        {
            throw new DomainValidationException("files", $"The multipart body could not be read: {ex.Message}");
        }
    }

    private static List<PredictionFile> Files(IFormCollection form) =>
        [.. form.Files.GetFiles("files").Select(f => new PredictionFile(f.FileName, f.OpenReadStream()))];

    private static int? FormK(IFormCollection form) =>
        form.TryGetValue("k", out var value) && value.Count > 0
            ? int.TryParse(value[0], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var k)
                ? k
                : throw new DomainValidationException("k", "k must be a whole number.")
            : null;
}
