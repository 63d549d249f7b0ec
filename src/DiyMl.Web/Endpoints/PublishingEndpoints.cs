using DiyMl.Domain.Publishing;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

public static class PublishingEndpoints
{
    public sealed record PublishRequest(string? Name, string? Description);

    public sealed record PublicationDto(
        string Id, string Name, string Description, string ModelId, int VersionNumber, DateTime PublishedAt, DateTime FirstPublishedAt,
        IReadOnlyList<string> Classes, string? ModelType, bool Mine, string PredictUrl, string OwnerName);

    public sealed record PublicationListDto(IReadOnlyList<PublicationDto> Items, long Total);

    public static RouteGroupBuilder MapPublishingEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Publishing").RequireAuthorization();
        group.MapPost("/models/{id}/publish", PublishAsync).WithName("PublishModel");
        group.MapDelete("/models/{id}/publish", UnpublishAsync).WithName("UnpublishModel");
        group.MapGet("/published-models", ListAsync).WithName("ListPublishedModels");
        return api;
    }

    internal static async Task<Ok<PublicationDto>> PublishAsync(string id, PublishRequest? request, HttpContext http, PublishingService service, CancellationToken ct)
    {
        var published = await service.PublishAsync(http.User.GetUserId(), id, request?.Name, request?.Description, ct);
        return TypedResults.Ok(ToDto(published));
    }

    internal static async Task<NoContent> UnpublishAsync(string id, HttpContext http, PublishingService service, CancellationToken ct)
    {
        await service.UnpublishAsync(http.User.GetUserId(), id, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Every published model (any API key may use them); <c>?scope=mine</c> lists only the caller's.</summary>
    internal static async Task<Ok<PublicationListDto>> ListAsync(string? scope, int? page, int? pageSize, HttpContext http, PublishingService service, CancellationToken ct)
    {
        if (scope is not (null or "all" or "mine"))
        {
            throw new Domain.Common.DomainValidationException("scope", "scope must be all or mine.");
        }

        var result = await service.ListAsync(http.User.GetUserId(), scope == "mine", page ?? 1, pageSize ?? 50, ct);
        return TypedResults.Ok(new PublicationListDto([.. result.Items.Select(ToDto)], result.Total));
    }

    internal static PublicationDto ToDto(PublishedModel p) => new(
        p.Publication.Id, p.Publication.Name, p.Publication.Description, p.Publication.ModelId, p.Publication.VersionNumber,
        p.Publication.PublishedAt, p.Publication.FirstPublishedAt, p.Model?.Classes ?? [], p.Model?.ModelTypeId, p.Mine,
        $"/api/published-models/{p.Publication.Id}/predictions", p.OwnerName);
}
