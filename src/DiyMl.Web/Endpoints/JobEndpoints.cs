using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

/// <summary>The caller's jobs: list, look up, cancel, and follow live as Server-Sent Events.</summary>
public static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("", ListAsync).WithName("ListJobs");
        jobs.MapGet("/{id}", GetAsync).WithName("GetJob");
        jobs.MapPost("/{id}/cancel", CancelAsync).WithName("CancelJob");
        jobs.MapGet("/{id}/events", EventsAsync).WithName("JobEvents")
            .WithDescription("Server-Sent Events named 'progress': the current state first, then every change; the stream ends after the final status.");
        return api;
    }

    internal static async Task<Ok<JobListDto>> ListAsync(
        ClaimsPrincipal user, JobService jobs, string? kind, string? status, int? page, int? pageSize, CancellationToken ct)
    {
        var query = new JobQuery(
            ParseOrNull<JobKind>(kind, "kind"),
            ParseOrNull<JobStatus>(status, "status"),
            page ?? 1,
            pageSize ?? 20);
        var found = await jobs.ListAsync(user.GetUserId(), query, ct);
        return TypedResults.Ok(new JobListDto([.. found.Items.Select(JobDto.From)], found.Total));
    }

    internal static async Task<Ok<JobDto>> GetAsync(string id, ClaimsPrincipal user, JobService jobs, CancellationToken ct) =>
        TypedResults.Ok(JobDto.From(await jobs.GetAsync(user.GetUserId(), id, ct)));

    /// <summary>202: a running job stops within about a second; follow it until its status is Cancelled.</summary>
    internal static async Task<Accepted<JobDto>> CancelAsync(string id, ClaimsPrincipal user, JobService jobs, CancellationToken ct)
    {
        var job = await jobs.CancelAsync(user.GetUserId(), id, ct);
        return TypedResults.Accepted($"/api/jobs/{job.Id}", JobDto.From(job));
    }

    internal static async Task<ServerSentEventsResult<JobDto>> EventsAsync(
        string id, ClaimsPrincipal user, JobService jobs, IJobNotifier notifier, CancellationToken ct)
    {
        // Ownership is checked before the stream starts, so a stranger gets a plain 404.
        var owner = user.GetUserId();
        await jobs.GetAsync(owner, id, ct);
        return TypedResults.ServerSentEvents(Stream(jobs.WatchAsync(notifier, owner, id, ct), ct));
    }

    private static async IAsyncEnumerable<SseItem<JobDto>> Stream(IAsyncEnumerable<JobSnapshot> snapshots, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var snapshot in snapshots.WithCancellation(ct))
        {
            yield return new SseItem<JobDto>(JobDto.From(snapshot), "progress");
        }
    }

    private static T? ParseOrNull<T>(string? value, string field) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)
            ? parsed
            : throw new DomainValidationException(field, $"{field} must be one of: {string.Join(", ", Enum.GetNames<T>())}.");
    }
}
