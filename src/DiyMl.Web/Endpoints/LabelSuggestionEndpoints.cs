using System.Security.Claims;
using DiyMl.Domain.Predictions;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

public sealed record LabelSuggestionDto(string ImageId, string Label, double Confidence);

public sealed record LabelSuggestionsDto(string ModelId, string ModelName, IReadOnlyList<LabelSuggestionDto> Items, long Unlabelled);

/// <summary>
/// <c>GET /api/datasets/{id}/label-suggestions?modelId=&amp;limit=</c>: classes proposed for the
/// dataset's unlabelled pictures, surest first. Accepting one is an ordinary relabel
/// (<c>PATCH /api/datasets/{id}/images/{imageId}</c> or <c>POST .../images/relabel</c>).
/// </summary>
public static class LabelSuggestionEndpoints
{
    public static RouteGroupBuilder MapLabelSuggestionEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/datasets/{id}/label-suggestions", SuggestAsync).WithName("SuggestLabels").WithTags("Datasets");
        return api;
    }

    internal static async Task<Ok<LabelSuggestionsDto>> SuggestAsync(
        string id, string? modelId, int? limit, ClaimsPrincipal user, LabelSuggestionService suggestions, CancellationToken ct)
    {
        var result = await suggestions.SuggestAsync(user.GetUserId(), id, modelId, limit, ct);
        var items = result.Items.Select(s => new LabelSuggestionDto(s.ImageId, s.Label, s.Confidence)).ToList();
        return TypedResults.Ok(new LabelSuggestionsDto(result.ModelId, result.ModelName, items, result.Unlabelled));
    }
}
