using System.Security.Claims;
using DiyMl.Domain.Accounts;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

/// <summary>Personal API keys: the key itself is in the create answer only, never in a list.</summary>
public static class ApiKeyEndpoints
{
    public sealed record CreateApiKeyRequest(string? Name);

    public sealed record CreatedApiKeyResponse(string Id, string Name, string Key);

    public sealed record ApiKeySummary(string Id, string Name, string Hint, DateTime CreatedAt, DateTime? LastUsedAt);

    public sealed record ApiKeyList(IReadOnlyList<ApiKeySummary> Items, long Total);

    public static RouteGroupBuilder MapApiKeyEndpoints(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys");
        keys.MapGet("", ListAsync).WithName("ListApiKeys");
        keys.MapPost("", CreateAsync).WithName("CreateApiKey")
            .WithSummary("Create a key for scripts; the answer is the only time the key is shown.");
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
        var created = await service.CreateAsync(user.GetUserId(), request.Name, ct);
        return TypedResults.Created($"/api/api-keys/{created.Entity.Id}", new CreatedApiKeyResponse(created.Entity.Id, created.Entity.Name, created.Key));
    }

    internal static async Task<NoContent> RevokeAsync(string id, ClaimsPrincipal user, ApiKeyService service, CancellationToken ct)
    {
        await service.RevokeAsync(user.GetUserId(), id, ct);
        return TypedResults.NoContent();
    }

    private static ApiKeySummary ToSummary(ApiKey key) => new(key.Id, key.Name, key.Hint, key.CreatedAtUtc, key.LastUsedAtUtc);
}
