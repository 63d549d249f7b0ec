using DiyMl.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace DiyMl.Web.Endpoints;

/// <summary>
/// The one place where exceptions become ProblemDetails for /api (and /health). Domain
/// exceptions map to their status; anything else is logged with a correlation id and answered
/// as a 500 that reveals nothing internal. Page requests fall through to the /Error page.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware has already pointed Request.Path at the error page; the feature keeps the original.
        var path = httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path is { } original ? new PathString(original) : httpContext.Request.Path;
        if (!path.StartsWithSegments("/api") && !path.StartsWithSegments("/health"))
        {
            return false;
        }

        var (status, title, detail) = Map(exception);
        var correlationId = httpContext.TraceIdentifier;
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}; correlation id {CorrelationId}", httpContext.Request.Method, path, correlationId);
        }

        httpContext.Response.StatusCode = status;
        if (exception is Security.TooManyAttemptsException tooMany)
        {
            httpContext.Response.Headers.RetryAfter = tooMany.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };
        context.ProblemDetails.Extensions["correlationId"] = correlationId;
        if (exception is DomainValidationException validation)
        {
            context.ProblemDetails.Extensions["errors"] = validation.Errors;
        }

        if (!await problemDetails.TryWriteAsync(context))
        {
            // The client's Accept header ruled out JSON; under /api it gets JSON anyway, never the HTML error page.
            await httpContext.Response.WriteAsJsonAsync(context.ProblemDetails, cancellationToken);
        }

        return true;
    }

    private static (int Status, string Title, string? Detail) Map(Exception exception) => exception switch
    {
        DomainValidationException e => (StatusCodes.Status400BadRequest, "The request is not valid", e.Message),
        BadHttpRequestException { InnerException: System.Text.Json.JsonException json } e =>
            (e.StatusCode, "The request body is not valid JSON", $"Fix the JSON near {json.Path} (line {json.LineNumber + 1}, byte {json.BytePositionInLine}) and send it again."),
        BadHttpRequestException e => (e.StatusCode, "The request could not be read", e.Message),
        NotFoundException e => (StatusCodes.Status404NotFound, "Not found", e.Message),
        ConflictException e => (StatusCodes.Status409Conflict, "Conflict", e.Message),
        ForbiddenException e => (StatusCodes.Status403Forbidden, "Forbidden", e.Message),
        LimitExceededException e => (StatusCodes.Status413PayloadTooLarge, "Too large", e.Message),
        Security.TooManyAttemptsException e => (StatusCodes.Status429TooManyRequests, "Too many attempts", e.Message),
        OperationCanceledException => (499, "The request was cancelled", null),
        _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred", "The error was logged; quote the correlation id when reporting it."),
    };
}
