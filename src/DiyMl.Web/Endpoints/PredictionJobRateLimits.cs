using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Endpoints;

/// <summary>How many prediction jobs may start per minute, bound from the <c>PredictionJobs</c> section.</summary>
public sealed class PredictionJobLimitOptions
{
    public const string Section = "PredictionJobs";

    /// <summary>Per API key (or per signed-in user without a key): one script cannot flood the workers.</summary>
    [Range(1, 100_000)]
    public int PerCallerPerMinute { get; set; } = 10;

    /// <summary>Per model, whoever calls: many keys on one published model cannot either.</summary>
    [Range(1, 100_000)]
    public int PerModelPerMinute { get; set; } = 30;
}

/// <summary>
/// Rate limits of <c>POST /api/models/{id}/prediction-jobs</c>, per caller and per model at once
/// (System.Threading.RateLimiting fixed windows, chained), checked before a byte of the body is
/// read. A refusal is a 429 ProblemDetails with Retry-After. Kept apart from the sign-in limits
/// of the accounts area, which have their own policies.
/// </summary>
internal sealed class PredictionJobRateLimits : IEndpointFilter, IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public PredictionJobRateLimits(IOptions<PredictionJobLimitOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetFixedWindowLimiter(CallerKey(http), _ => Window(limits.PerCallerPerMinute))),
            PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetFixedWindowLimiter(http.Request.RouteValues["id"]?.ToString() ?? "", _ => Window(limits.PerModelPerMinute))));
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        using var lease = await _limiter.AcquireAsync(context.HttpContext, 1, context.HttpContext.RequestAborted);
        if (lease.IsAcquired)
        {
            return await next(context);
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            title: "Too many requests",
            detail: $"Too many prediction jobs were started for this key or this model in the last minute; try again in {seconds} s.",
            statusCode: StatusCodes.Status429TooManyRequests);
    }

    public void Dispose() => _limiter.Dispose();

    private static string CallerKey(HttpContext http)
    {
        var caller = PredictionCallers.From(http);
        return caller.ApiKeyId is { } key ? "key:" + key : "user:" + caller.UserId;
    }

    private static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

internal static class PredictionJobRateLimitsExtensions
{
    public static IServiceCollection AddPredictionJobRateLimits(this IServiceCollection services)
    {
        services.AddOptions<PredictionJobLimitOptions>().BindConfiguration(PredictionJobLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services.AddSingleton<PredictionJobRateLimits>();
    }
}
