using DiyMl.Domain.Common;

namespace DiyMl.Domain.Jobs;

/// <summary>What a feature asks to run; the owner comes from the caller.</summary>
public sealed record JobRequest(JobKind Kind, string? DatasetId = null, string? ModelId = null, string InputJson = "{}")
{
    /// <summary>A request whose input is the kind's typed contract, serialized by <see cref="JobJson"/>.</summary>
    public static JobRequest Of<TInput>(JobKind kind, TInput input, string? datasetId = null, string? modelId = null) =>
        new(kind, datasetId, modelId, JobJson.Write(input));
}

/// <summary>Filters and paging for a person's job list (page is 1-based).</summary>
public sealed record JobQuery(JobKind? Kind = null, JobStatus? Status = null, int Page = 1, int PageSize = 20)
{
    public const int MaxPageSize = 100;
}

/// <summary>
/// The use cases around jobs: create (saved, then announced), look up and list one owner's
/// jobs, and cancel. Everything is owner-scoped: another person's job does not exist.
/// </summary>
public sealed class JobService(
    IJobStore store,
    IJobQueue queue,
    IJobNotifier notifier,
    ILocalJobCancellation localCancellation,
    TimeProvider time)
{
    private const int CasAttempts = 20;

    public async Task<Job> CreateAsync(string ownerId, JobRequest request, CancellationToken ct = default)
    {
        var job = Job.Create(ownerId, request, time.GetUtcNow().UtcDateTime);

        // Durable first: if the process dies right after, the sweep still finds the job.
        await store.InsertAsync(job, ct);
        queue.Announce(job.Id);
        notifier.Publish(JobSnapshot.From(job));
        return job;
    }

    public async Task<Job> GetAsync(string ownerId, string id, CancellationToken ct = default)
    {
        var job = Ids.IsValid(id) ? await store.GetAsync(id, ct) : null;
        return job.EnsureOwnedBy(ownerId, "Job", id);
    }

    public Task<Page<Job>> ListAsync(string ownerId, JobQuery query, CancellationToken ct = default)
    {
        if (query.Page < 1)
        {
            throw new DomainValidationException("page", "page starts at 1.");
        }

        if (query.PageSize is < 1 or > JobQuery.MaxPageSize)
        {
            throw new DomainValidationException("pageSize", $"pageSize must be between 1 and {JobQuery.MaxPageSize}.");
        }

        var skip = (long)(query.Page - 1) * query.PageSize;
        if (skip > int.MaxValue)
        {
            throw new DomainValidationException("page", "page is too large.");
        }

        return store.ListAsync(ownerId, query.Kind, query.Status, (int)skip, query.PageSize, ct);
    }

    /// <summary>
    /// A queued job is cancelled at once; a running one gets the cancel flag (seen by its worker
    /// on any instance) and, if it runs here, its token is tripped directly. A finished job is a conflict.
    /// </summary>
    public async Task<Job> CancelAsync(string ownerId, string id, CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < CasAttempts; attempt++)
        {
            var job = await GetAsync(ownerId, id, ct);
            job.RequestCancel(time.GetUtcNow().UtcDateTime);

            // Loses only to the worker (a claim or a progress save); read again and retry.
            if (await store.TryReplaceAsync(job, ct))
            {
                if (job.Status == JobStatus.Running)
                {
                    localCancellation.TryCancel(job.Id);
                }

                notifier.Publish(JobSnapshot.From(job));
                return job;
            }
        }

        throw new ConflictException($"Job '{id}' is changing too quickly to cancel; try again.");
    }
}
