using DiyMl.Web.Auth;
using Scalar.AspNetCore;

namespace DiyMl.Web.Endpoints;

public static class ApiEndpoints
{
    /// <summary>
    /// The /api group: JSON and ProblemDetails only. Every endpoint needs a signed-in caller
    /// (cookie, bearer token or API key) unless it says AllowAnonymous.
    /// </summary>
    public static RouteGroupBuilder MapApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference();

        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapAuthEndpoints();
        api.MapApiKeyEndpoints();
        api.MapAdminEndpoints();
        api.MapJobEndpoints();
        api.MapModelEndpoints();
        api.MapTrainingEndpoints();

        // No fallback route: an unknown address (404), a wrong method (405) or content type (415)
        // reaches the status-code handler, which answers ProblemDetails under /api.
        app.MapBrowserLoginEndpoints();
        return api;
    }
}
