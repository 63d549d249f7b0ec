using System.Text.Json;
using System.Text.Json.Nodes;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Testing;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Endpoints;

public static class ModelTestEndpoints
{
    public sealed record StartTestRequest(string? DatasetId);

    public sealed record RelabelRequest(string? Label);

    public sealed record TestRunListDto(IReadOnlyList<ModelTestRun> Items, long Total);

    public sealed record TestPredictionListDto(IReadOnlyList<TestPrediction> Items, long Total);

    public static RouteGroupBuilder MapModelTestEndpoints(this RouteGroupBuilder api)
    {
        var tests = api.MapGroup("/models/{id}/tests").WithTags("Model tests").RequireAuthorization();
        tests.MapPost("/", StartAsync).WithName("StartModelTest").DisableAntiforgery()
            .Accepts<StartTestRequest>(isOptional: true, "application/json", "multipart/form-data")
            .WithSummary("Test the model: JSON {datasetId} tests on one of your datasets; multipart/form-data with one zip of labelled folders (field 'file') makes a new dataset from it and tests on that.")
            .WithDescription("Answers 202 with the job. For a zip, the answer also has 'dataset' {id, name} (the dataset created from it, also in 'datasetId' and the X-Dataset-Location header) and 'upload', the per-file report of a dataset upload. A zip without one usable labelled picture answers 400 and leaves no dataset behind.")
            .Produces<JobDto>(StatusCodes.Status202Accepted)
            .AddOpenApiOperationTransformer(ModelTestUpload.DocumentAsync);
        tests.MapGet("/", ListAsync).WithName("ListModelTests");
        tests.MapGet("/{runId}", GetAsync).WithName("GetModelTest");
        tests.MapGet("/{runId}/predictions", PredictionsAsync).WithName("ModelTestPredictions");
        tests.MapPost("/{runId}/predictions/{predictionId}/relabel", RelabelAsync).WithName("RelabelTestImage");
        return api;
    }

    internal static async Task<Results<Accepted<JobDto>, Accepted<JsonObject>, ProblemHttpResult>> StartAsync(
        string id, HttpContext http, ModelTestService service, ArchiveTestService archives, DatasetOptions options, IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (ModelTestUpload.IsMultipart(http.Request))
        {
            return await ModelTestUpload.StartAsync(id, http, archives, options, json.Value.SerializerOptions, ct);
        }

        var request = await ReadJsonAsync(http.Request, json.Value.SerializerOptions, ct);
        var job = await service.StartAsync(http.User.GetUserId(), id, request?.DatasetId, ct);
        return TypedResults.Accepted($"/api/jobs/{job.Id}", JobDto.From(job));
    }

    // Read by hand because the same route also takes multipart; errors answer as the framework's JSON binding did.
    private static async Task<StartTestRequest?> ReadJsonAsync(HttpRequest request, JsonSerializerOptions options, CancellationToken ct)
    {
        if (request.ContentLength == 0 || (request.ContentType is null && request.ContentLength is null))
        {
            return null;
        }

        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException(
                "Send JSON {\"datasetId\": \"...\"}, or multipart/form-data with one zip of labelled folders in the field 'file'.",
                StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            return await request.ReadFromJsonAsync<StartTestRequest>(options, ct);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The request body is not valid JSON.", StatusCodes.Status400BadRequest, e);
        }
    }

    internal static async Task<Ok<TestRunListDto>> ListAsync(string id, HttpContext http, ModelTestService service, CancellationToken ct)
    {
        var runs = await service.ListAsync(http.User.GetUserId(), id, ct);
        return TypedResults.Ok(new TestRunListDto(runs, runs.Count));
    }

    internal static async Task<Ok<ModelTestRun>> GetAsync(string id, string runId, HttpContext http, ModelTestService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetAsync(http.User.GetUserId(), id, runId, ct));

    /// <summary>One confusion-matrix cell with <c>?actual=&amp;predicted=</c>, only mistakes with <c>?wrong=true</c>; most confident first unless <c>?order=leastConfident</c>.</summary>
    internal static async Task<Ok<TestPredictionListDto>> PredictionsAsync(
        string id, string runId, string? actual, string? predicted, bool? wrong, string? order, int? page, int? pageSize,
        HttpContext http, ModelTestService service, CancellationToken ct)
    {
        if (order is not (null or "mostConfident" or "leastConfident"))
        {
            throw new DomainValidationException("order", "order must be mostConfident or leastConfident.");
        }

        var size = pageSize ?? 50;
        var query = new TestPredictionQuery(actual, predicted, wrong == true ? false : null, order != "leastConfident", (Math.Max(page ?? 1, 1) - 1) * size, size);
        var result = await service.PredictionsAsync(http.User.GetUserId(), id, runId, query, ct);
        return TypedResults.Ok(new TestPredictionListDto(result.Items, result.Total));
    }

    internal static async Task<Ok<TestPrediction>> RelabelAsync(
        string id, string runId, string predictionId, RelabelRequest? request, HttpContext http, ModelTestService service, CancellationToken ct) =>
        TypedResults.Ok(await service.RelabelAsync(http.User.GetUserId(), id, runId, predictionId, request?.Label, ct));
}
