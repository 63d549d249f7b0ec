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

    public static string Select(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey(ApiKeyHeader))
        {
            return ApiKey;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Bearer;
        }

        // SignalR over WebSockets cannot send headers: the hub's bearer token arrives as ?access_token=.
        return context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query.ContainsKey("access_token") ? Bearer : Cookie;
    }

    /// <summary>Requests answered with JSON: challenges become 401/403, never a redirect to the login page.</summary>
    public static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/health");
}
