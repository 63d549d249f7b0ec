using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Testing;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

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
        tests.MapPost("/", StartAsync).WithName("StartModelTest");
        tests.MapGet("/", ListAsync).WithName("ListModelTests");
        tests.MapGet("/{runId}", GetAsync).WithName("GetModelTest");
        tests.MapGet("/{runId}/predictions", PredictionsAsync).WithName("ModelTestPredictions");
        tests.MapPost("/{runId}/predictions/{predictionId}/relabel", RelabelAsync).WithName("RelabelTestImage");
        return api;
    }

    internal static async Task<Accepted<JobSnapshot>> StartAsync(string id, StartTestRequest? request, HttpContext http, ModelTestService service, CancellationToken ct)
    {
        var job = await service.StartAsync(http.User.GetUserId(), id, request?.DatasetId, ct);
        return TypedResults.Accepted($"/api/jobs/{job.Id}", JobSnapshot.From(job));
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
