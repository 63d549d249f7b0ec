using System.Linq.Expressions;
using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Jobs;

internal sealed class JobStore(IStorageEngine engine) : IJobStore
{
    private readonly IDocumentCollection<Job> _jobs = CreateCollection(engine);

    public Task<Job?> GetAsync(string id, CancellationToken ct = default) => _jobs.GetAsync(id, ct);

    public Task InsertAsync(Job job, CancellationToken ct = default) => _jobs.InsertAsync(job, ct);

    public Task<bool> TryReplaceAsync(Job job, CancellationToken ct = default) => _jobs.ReplaceAsync(job, ct);

    public async Task<Page<Job>> ListAsync(string ownerId, JobKind? kind, JobStatus? status, int skip, int take, CancellationToken ct = default)
    {
        var filter = OwnerFilter(ownerId, kind, status);
        var items = await _jobs.FindAsync(filter, new FindOptions<Job>(x => x.CreatedAt, Descending: true, Skip: skip, Limit: take), ct);
        var total = await _jobs.CountAsync(filter, ct);
        return new Page<Job>(items, total);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken ct = default) => _jobs.DeleteAsync(id, ct);

    public Task<IReadOnlyList<Job>> FindByStatusAsync(JobStatus status, int limit, CancellationToken ct = default) =>
        _jobs.FindAsync(x => x.Status == status, new FindOptions<Job>(x => x.CreatedAt, Limit: limit), ct);

    // Spelled out per combination: both engines translate plain equalities, not "x == null || ...".
    private static Expression<Func<Job, bool>> OwnerFilter(string ownerId, JobKind? kind, JobStatus? status) =>
        (kind, status) switch
        {
            ({ } k, { } s) => x => x.OwnerId == ownerId && x.Kind == k && x.Status == s,
            ({ } k, null) => x => x.OwnerId == ownerId && x.Kind == k,
            (null, { } s) => x => x.OwnerId == ownerId && x.Status == s,
            _ => x => x.OwnerId == ownerId,
        };

    private static IDocumentCollection<Job> CreateCollection(IStorageEngine engine)
    {
        var jobs = engine.Collection<Job>("jobs");
        jobs.EnsureIndexAsync(x => x.OwnerId).GetAwaiter().GetResult();
        jobs.EnsureIndexAsync(x => x.Status).GetAwaiter().GetResult();
        return jobs;
    }
}
