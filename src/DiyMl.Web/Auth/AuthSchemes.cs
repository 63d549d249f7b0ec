using Microsoft.AspNetCore.Identity;

namespace DiyMl.Web.Auth;

/// <summary>
/// Scheme names. <see cref="Default"/> is a policy scheme that picks one per request:
/// <c>X-Api-Key</c> header → API key, <c>Authorization: Bearer</c> → bearer token, else the
/// browser's cookie. One RequireAuthorization() therefore covers all three.
/// </summary>
public static class AuthSchemes
{
    public const string Default = "DiyMl";

    public const string ApiKey = "ApiKey";

    /// <summary>Identity's bearer token, plus a check that the account is still active.</summary>
    public const string Bearer = "DiyMl.Bearer";

    public const string ApiKeyHeader = "X-Api-Key";

    public static readonly string Cookie = IdentityConstants.ApplicationScheme;

    /// <summary>The browser's sign-in cookie.</summary>
    public const string CookieName = "diyml.auth";

    public static string Select(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey(ApiKeyHeader))
        {
            return ApiKey;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || HubAccessToken(context.Request) is not null
            ? Bearer
            : Cookie;
    }

    /// <summary>
    /// SignalR clients cannot set headers on a browser WebSocket, so on /hubs the bearer token
    /// may arrive as <c>?access_token=</c>; nowhere else, to keep tokens out of ordinary URLs and logs.
    /// </summary>
    public static string? HubAccessToken(HttpRequest request) =>
        request.Path.StartsWithSegments("/hubs") && request.Query["access_token"] is { Count: 1 } token && !string.IsNullOrEmpty(token[0])
            ? token[0]
            : null;

    /// <summary>Requests answered with JSON: challenges become 401/403, never a redirect to the login page.</summary>
    public static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/health") || request.Path.StartsWithSegments("/hubs");
}
