namespace DiyMl.Web.Security;

/// <summary>
/// Cross-site request forgery guard for /api. A browser sends the portal's cookie with requests
/// that other sites make it send; SameSite=Lax stops only some of them (a sibling port or
/// subdomain is "same site"). So an unsafe-method /api request that would be authenticated by
/// the cookie must prove it comes from this origin: browsers always send <c>Origin</c> (or at
/// least <c>Referer</c>, and <c>Sec-Fetch-Site</c>) with such requests, and a page cannot forge
/// them. Scripts use bearer tokens or API keys, which no other site can make a browser send.
/// </summary>
public static class SameOriginApi
{
    public static IApplicationBuilder UseSameOriginApi(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (NeedsProof(context) && !IsSameOrigin(context.Request))
        {
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused",
                "A change sent with the browser's sign-in cookie must come from a DIY ML page. Scripts should use a bearer token or an API key.");
            return;
        }

        await next(context);
    });

    private static bool NeedsProof(HttpContext context)
    {
        var request = context.Request;
        return request.Path.StartsWithSegments("/api")
            && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
            && Auth.AuthSchemes.Select(context) == Auth.AuthSchemes.Cookie
            && request.Cookies.ContainsKey(Auth.AuthSchemes.CookieName);
    }

    internal static bool IsSameOrigin(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && fetchSite is not ("same-origin" or "none"))
        {
            return false;
        }

        var claimed = request.Headers.Origin.ToString();
        if (claimed.Length == 0 || claimed == "null")
        {
            claimed = request.Headers.Referer.ToString();
        }

        if (!Uri.TryCreate(claimed, UriKind.Absolute, out var origin))
        {
            return false;
        }

        var requestPort = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(origin.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(origin.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            && origin.Port == requestPort;
    }
}
