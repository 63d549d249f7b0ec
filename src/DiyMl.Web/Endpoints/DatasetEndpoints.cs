using System.Security.Claims;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

/// <summary>/api/datasets: datasets, their classes and their analysis. Images are in <see cref="ImageEndpoints"/>.</summary>
public static class DatasetEndpoints
{
    public static RouteGroupBuilder MapDatasetEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/datasets").WithTags("Datasets");
        group.MapGet("/", ListAsync).WithName("ListDatasets");
        group.MapPost("/", CreateAsync).WithName("CreateDataset");
        group.MapGet("/{id}", GetAsync).WithName("GetDataset");
        group.MapPatch("/{id}", UpdateAsync).WithName("UpdateDataset");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteDataset");
        group.MapGet("/{id}/analysis", AnalyzeAsync).WithName("AnalyzeDataset");
        group.MapPost("/{id}/classes", AddClassAsync).WithName("AddClass");
        group.MapPost("/{id}/classes/merge", MergeClassesAsync).WithName("MergeClasses");
        group.MapPatch("/{id}/classes/{name}", RenameClassAsync).WithName("RenameClass");
        group.MapDelete("/{id}/classes/{name}", DeleteClassAsync).WithName("DeleteClass");
        group.MapImageEndpoints();
        return api;
    }

    internal static async Task<Ok<ListDto<DatasetDto>>> ListAsync(ClaimsPrincipal user, DatasetService datasets, CancellationToken ct)
    {
        var page = await datasets.ListAsync(user.GetUserId(), ct);
        return TypedResults.Ok(new ListDto<DatasetDto>(page.Items.Select(DatasetDto.From).ToList(), page.Total));
    }

    internal static async Task<Created<DatasetDto>> CreateAsync(CreateDatasetRequest? request, ClaimsPrincipal user, DatasetService datasets, CancellationToken ct)
    {
        var userId = user.GetUserId();
        var dataset = await datasets.CreateAsync(userId, request?.Name, request?.Description, ct);
        var dto = DatasetDto.From(await datasets.GetSummaryAsync(userId, dataset.Id, ct));
        return TypedResults.Created($"/api/datasets/{dataset.Id}", dto);
    }

    internal static async Task<Ok<DatasetDto>> GetAsync(string id, ClaimsPrincipal user, DatasetService datasets, CancellationToken ct) =>
        TypedResults.Ok(DatasetDto.From(await datasets.GetSummaryAsync(user.GetUserId(), id, ct)));

    internal static async Task<Ok<DatasetDto>> UpdateAsync(string id, UpdateDatasetRequest? request, ClaimsPrincipal user, DatasetService datasets, CancellationToken ct)
    {
        var userId = user.GetUserId();
        // Checked before anything changes: a bad purpose leaves the name as it was.
        DatasetPurpose? purpose = request?.Purpose switch
        {
            null => null,
            "training" => DatasetPurpose.Training,
            "test" => DatasetPurpose.Test,
            _ => throw new DomainValidationException("purpose", "purpose is \"training\" or \"test\"."),
        };
        await datasets.UpdateAsync(userId, id, request?.Name, request?.Description, ct);
        if (purpose is { } p)
        {
            await datasets.SetPurposeAsync(userId, id, p, ct);
        }

        return TypedResults.Ok(DatasetDto.From(await datasets.GetSummaryAsync(userId, id, ct)));
    }

    internal static async Task<NoContent> DeleteAsync(string id, ClaimsPrincipal user, DatasetService datasets, CancellationToken ct)
    {
        await datasets.DeleteAsync(user.GetUserId(), id, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<DatasetAnalysis>> AnalyzeAsync(string id, ClaimsPrincipal user, DatasetAnalysisService analysis, CancellationToken ct) =>
        TypedResults.Ok(await analysis.AnalyzeAsync(user.GetUserId(), id, ct));

    internal static async Task<Ok<DatasetDto>> AddClassAsync(string id, ClassNameRequest? request, ClaimsPrincipal user, ClassService classes, DatasetService datasets, CancellationToken ct)
    {
        var userId = user.GetUserId();
        await classes.AddAsync(userId, id, request?.Name, ct);
        return TypedResults.Ok(DatasetDto.From(await datasets.GetSummaryAsync(userId, id, ct)));
    }

    internal static async Task<Ok<DatasetDto>> RenameClassAsync(string id, string name, ClassNameRequest? request, ClaimsPrincipal user, ClassService classes, DatasetService datasets, CancellationToken ct)
    {
        var userId = user.GetUserId();
        await classes.RenameAsync(userId, id, name, request?.Name, ct);
        return TypedResults.Ok(DatasetDto.From(await datasets.GetSummaryAsync(userId, id, ct)));
    }

    internal static async Task<Ok<DatasetDto>> MergeClassesAsync(string id, MergeClassesRequest? request, ClaimsPrincipal user, ClassService classes, DatasetService datasets, CancellationToken ct)
    {
        var userId = user.GetUserId();
        await classes.MergeAsync(userId, id, request?.Sources ?? [], request?.Target, ct);
        return TypedResults.Ok(DatasetDto.From(await datasets.GetSummaryAsync(userId, id, ct)));
    }

    /// <summary><c>?images=unlabel</c> (default) keeps the images without a class; <c>?images=delete</c> deletes them.</summary>
    internal static async Task<Results<Ok<DatasetDto>, ValidationProblem>> DeleteClassAsync(
        string id, string name, string? images, ClaimsPrincipal user, ClassService classes, DatasetService datasets, CancellationToken ct)
    {
        ClassImageDisposal disposal;
        if (string.IsNullOrEmpty(images) || images.Equals("unlabel", StringComparison.OrdinalIgnoreCase))
        {
            disposal = ClassImageDisposal.Unlabel;
        }
        else if (images.Equals("delete", StringComparison.OrdinalIgnoreCase))
        {
            disposal = ClassImageDisposal.Delete;
        }
        else
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["images"] = ["Use images=unlabel or images=delete."] });
        }

        var userId = user.GetUserId();
        await classes.DeleteAsync(userId, id, name, disposal, ct);
        return TypedResults.Ok(DatasetDto.From(await datasets.GetSummaryAsync(userId, id, ct)));
    }
}
