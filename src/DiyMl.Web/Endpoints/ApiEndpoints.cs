using Microsoft.AspNetCore.Mvc;
using Scalar.AspNetCore;

namespace DiyMl.Web.Endpoints;

public static class ApiEndpoints
{
    /// <summary>The /api group: JSON and ProblemDetails only, never the HTML status-code pages.</summary>
    public static RouteGroupBuilder MapApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference();

        var api = app.MapGroup("/api");
        api.WithMetadata(new SkipStatusCodePagesAttribute());

        // An unknown /api address is a JSON 404, not the portal's HTML "not found" page.
        api.MapFallback(() => TypedResults.Problem(title: "Not found", detail: "There is no such API endpoint.", statusCode: StatusCodes.Status404NotFound))
            .ExcludeFromDescription();
        return api;
    }
}
