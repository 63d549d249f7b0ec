using DiyMl.Domain.Accounts;

namespace DiyMl.Web.Security;

/// <summary>Endpoint metadata: an API key calling this endpoint needs <see cref="Scope"/>.</summary>
public sealed record RequiresApiScope(string Scope);

/// <summary>
/// After authorization: a request signed with an API key must carry the scope its endpoint
/// needs, else 403. Cookies and bearer tokens are the person themself and may do everything
/// they may do. The scope is the endpoint's <see cref="RequiresApiScope"/>, or by default
/// read for safe methods, predict for prediction routes and upload for any other change.
/// </summary>
public static class ApiKeyScopeCheck
{
    public const string ScopeClaim = "diyml:scope";

    public static IApplicationBuilder UseApiKeyScopes(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.HasClaim(c => c.Type == Endpoints.PredictionCallers.ApiKeyIdClaim)
            && Needed(context) is { } scope
            && !context.User.HasClaim(ScopeClaim, scope))
        {
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "The API key may not do this",
                $"This API key lacks the '{scope}' scope. Keys cannot manage keys or accounts unless created with 'manage'; sign in to do it.");
            return;
        }

        await next(context);
    });

    private static string? Needed(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiresApiScope>() is { } required)
        {
            return required.Scope;
        }

        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api") && !path.StartsWithSegments("/hubs"))
        {
            return null;
        }

        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
        {
            return ApiKeyScopes.Read;
        }

        var value = path.Value ?? "";
        return value.Contains("/predictions", StringComparison.OrdinalIgnoreCase) || value.Contains("/prediction-jobs", StringComparison.OrdinalIgnoreCase)
            ? ApiKeyScopes.Predict
            : ApiKeyScopes.Upload;
    }
}

/// <summary>ProblemDetails written by middleware that answers before any endpoint runs.</summary>
internal static class Problems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        var problem = new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = status, Title = title, Detail = detail } };
        problem.ProblemDetails.Extensions["correlationId"] = context.TraceIdentifier;
        if (!await service.TryWriteAsync(problem))
        {
            await context.Response.WriteAsJsonAsync(problem.ProblemDetails, context.RequestAborted);
        }
    }
}
