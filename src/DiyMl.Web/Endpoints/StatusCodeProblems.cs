using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Diagnostics;

namespace DiyMl.Web.Endpoints;

/// <summary>
/// Empty error responses (401 from a challenge, 405, 415, an unknown route…) get a body:
/// ProblemDetails JSON for /api and /health whatever the Accept header says, the portal's
/// "not found" page for everything else.
/// </summary>
public static class StatusCodeProblems
{
    public static WebApplication UseStatusCodeProblems(this WebApplication app)
    {
        app.UseWhen(c => AuthSchemes.IsApiRequest(c.Request), api => api.UseStatusCodePages(WriteProblemAsync));
        app.UseWhen(c => !AuthSchemes.IsApiRequest(c.Request), pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        return app;
    }

    private static Task WriteProblemAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var (title, detail) = status switch
        {
            401 => ("Not signed in", "Send a bearer token (Authorization: Bearer …) from /api/auth/login or an API key in the X-Api-Key header."),
            403 => ("Forbidden", "Your account is not allowed to do this."),
            404 => ("Not found", "There is no such resource."),
            405 => ("Method not allowed", $"{http.Request.Method} is not supported at this address."),
            413 => ("Too large", "The request body is larger than this endpoint accepts."),
            415 => ("Unsupported media type", "Send the body as application/json (or multipart/form-data for uploads)."),
            _ => (ReasonPhrase(status), (string?)null),
        };
        var problem = TypedResults.Problem(title: title, detail: detail, statusCode: status,
            extensions: new Dictionary<string, object?> { ["correlationId"] = http.TraceIdentifier });
        return problem.ExecuteAsync(http);
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
