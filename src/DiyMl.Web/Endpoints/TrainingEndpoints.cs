using DiyMl.Domain.Training;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

public static class TrainingEndpoints
{
    public sealed record ModelTypeList(IReadOnlyList<ModelType> Items, long Total);

    public sealed record TrainingRequest(string? DatasetId, string? ModelType, Dictionary<string, double>? Parameters);

    public static RouteGroupBuilder MapTrainingEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/model-types", ListModelTypes).WithName("ListModelTypes").WithTags("Training");
        api.MapPost("/training-jobs", StartAsync).WithName("StartTraining").WithTags("Training");
        return api;
    }

    internal static Ok<ModelTypeList> ListModelTypes() => TypedResults.Ok(new ModelTypeList(ModelCatalog.All, ModelCatalog.All.Count));

    internal static async Task<Accepted<JobDto>> StartAsync(TrainingRequest request, TrainingService training, HttpContext http, CancellationToken ct)
    {
        var job = await training.StartAsync(http.User.GetUserId(), request.DatasetId, request.ModelType, request.Parameters, ct);
        return TypedResults.Accepted($"/api/jobs/{job.Id}", JobDto.From(job));
    }
}
