using DiyMl.Domain.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

public static class HealthEndpoint
{
    public sealed record HealthReport(string Status, string Engine);

    public static void MapHealthEndpoint(this WebApplication app) =>
        app.MapGet("/health", CheckAsync)
            .WithMetadata(new SkipStatusCodePagesAttribute())
            .WithName("Health")
            .WithTags("Health");

    internal static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> CheckAsync(IStorageHealth storage, CancellationToken ct)
    {
        var (healthy, reason) = await storage.CheckAsync(ct);
        return healthy
            ? TypedResults.Ok(new HealthReport("Healthy", storage.Engine))
            : TypedResults.Problem(title: "Storage is not reachable", detail: reason, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
