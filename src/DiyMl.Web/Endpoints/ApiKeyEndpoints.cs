using System.Security.Claims;
using DiyMl.Domain.Accounts;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

/// <summary>Personal API keys: the key itself is in the create answer only, never in a list.</summary>
public static class ApiKeyEndpoints
{
    public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Scopes = null);

    public sealed record CreatedApiKeyResponse(string Id, string Name, string Key, IReadOnlyList<string> Scopes);

    public sealed record ApiKeySummary(string Id, string Name, string Hint, DateTime CreatedAt, DateTime? LastUsedAt, IReadOnlyList<string> Scopes);

    public sealed record ApiKeyList(IReadOnlyList<ApiKeySummary> Items, long Total);

    public static RouteGroupBuilder MapApiKeyEndpoints(this RouteGroupBuilder api)
    {
        // Managing keys needs the manage scope: a leaked key must not be able to mint its own successor.
        var keys = api.MapGroup("/api-keys").WithTags("API keys").WithMetadata(new Security.RequiresApiScope(ApiKeyScopes.Manage));
        keys.MapGet("", ListAsync).WithName("ListApiKeys");
        keys.MapPost("", CreateAsync).WithName("CreateApiKey")
            .WithSummary("Create a key for scripts (scopes: read, upload, predict by default; manage on request); the answer is the only time the key is shown.");
        keys.MapDelete("/{id}", RevokeAsync).WithName("RevokeApiKey");
        return api;
    }

    internal static async Task<Ok<ApiKeyList>> ListAsync(ClaimsPrincipal user, ApiKeyService service, CancellationToken ct)
    {
        var page = await service.ListAsync(user.GetUserId(), ct);
        return TypedResults.Ok(new ApiKeyList([.. page.Items.Select(ToSummary)], page.Total));
    }

    internal static async Task<Created<CreatedApiKeyResponse>> CreateAsync(CreateApiKeyRequest request, ClaimsPrincipal user, ApiKeyService service, CancellationToken ct)
    {
        var created = await service.CreateAsync(user.GetUserId(), request.Name, request.Scopes?.ToList(), ct);
        return TypedResults.Created(
            $"/api/api-keys/{created.Entity.Id}", new CreatedApiKeyResponse(created.Entity.Id, created.Entity.Name, created.Key, created.Entity.EffectiveScopes));
    }

    internal static async Task<NoContent> RevokeAsync(string id, ClaimsPrincipal user, ApiKeyService service, CancellationToken ct)
    {
        await service.RevokeAsync(user.GetUserId(), id, ct);
        return TypedResults.NoContent();
    }

    private static ApiKeySummary ToSummary(ApiKey key) => new(key.Id, key.Name, key.Hint, key.CreatedAtUtc, key.LastUsedAtUtc, key.EffectiveScopes);
}
