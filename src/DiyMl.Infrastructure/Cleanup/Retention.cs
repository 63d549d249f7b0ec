using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure.Ml;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Cleanup;

/// <summary>What one retention pass removed.</summary>
public sealed record RetentionReport(int JobsRemoved, int FeatureEntriesRemoved);

/// <summary>
/// Removes finished jobs older than <c>Jobs:RetentionDays</c> (their result blobs then lose their
/// only reference and go with the next blob sweep) and cached features of images no longer
/// stored. Models, datasets and publications are never touched: they are things people saved.
/// </summary>
public sealed class Retention(
    IJobStore jobs,
    IEnumerable<IBlobReferenceSource> sources,
    FeatureCache features,
    IOptions<RetentionOptions> options,
    TimeProvider clock)
{
    private const int Batch = 100_000;

    public async Task<RetentionReport> RunAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(options.Value.RetentionDays);
        var removed = 0;
        foreach (var status in new[] { JobStatus.Succeeded, JobStatus.Failed, JobStatus.Cancelled })
        {
            foreach (var job in await jobs.FindByStatusAsync(status, Batch, ct))
            {
                // FinishedAt is set with the status; a job without one is judged by when it was made.
                if (job.IsFinished && (job.FinishedAt ?? job.CreatedAt) < cutoff && await jobs.DeleteAsync(job.Id, ct))
                {
                    removed++;
                }
            }
        }

        return new RetentionReport(removed, await features.RemoveExceptAsync(await LiveImagesAsync(ct), ct));
    }

    private async Task<HashSet<string>> LiveImagesAsync(CancellationToken ct)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources.Where(s => s.Name == "images"))
        {
            await source.AddReferencesAsync(live, ct);
        }

        return live;
    }
}
