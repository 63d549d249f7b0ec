using DiyMl.Domain.Common;

namespace DiyMl.Domain.Jobs;

/// <summary>The durable job documents. Every state change goes through <see cref="TryReplaceAsync"/>.</summary>
public interface IJobStore
{
    Task<Job?> GetAsync(string id, CancellationToken ct = default);

    Task InsertAsync(Job job, CancellationToken ct = default);

    /// <summary>Compare-and-set on <see cref="Entity.Version"/>: false when someone changed the job first.</summary>
    Task<bool> TryReplaceAsync(Job job, CancellationToken ct = default);

    /// <summary>One owner's jobs, newest first, optionally filtered by kind and status.</summary>
    Task<Page<Job>> ListAsync(string ownerId, JobKind? kind, JobStatus? status, int skip, int take, CancellationToken ct = default);

    /// <summary>Jobs in one status, oldest first (for the queue sweep and crash recovery).</summary>
    Task<IReadOnlyList<Job>> FindByStatusAsync(JobStatus status, int limit, CancellationToken ct = default);

    /// <summary>Removes a job document (retention of finished jobs); false when it was already gone.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken ct = default);
}
