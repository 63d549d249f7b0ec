using DiyMl.Domain.Common;
using DiyMl.Domain.Quotas;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// Starts uploads into a dataset. An upload is a session: files (or zip archives) are added one
/// at a time as they stream in, each gets its own outcome, and closing the session records the
/// change on the dataset.
/// </summary>
public sealed class ImageIngestService(
    IImageStore images,
    IBlobStore blobs,
    IImageInspector inspector,
    DatasetMutations mutations,
    DatasetOptions options,
    QuotaService quota,
    TimeProvider clock)
{
    public async Task<IngestSession> BeginAsync(string userId, string datasetId, CancellationToken ct = default)
    {
        var dataset = await mutations.LoadOwnedAsync(userId, datasetId, ct);
        if (await quota.UsedAsync(userId, ct) >= options.QuotaBytesPerUser)
        {
            throw new LimitExceededException(
                $"Your storage quota of {Sizes.Format(options.QuotaBytesPerUser)} is used up. Delete images or datasets you no longer need, then upload again.");
        }

        return new IngestSession(new IngestContext(userId, dataset.Id, images, blobs, inspector, mutations, options, quota, clock));
    }

    /// <summary>Convenience for callers that already have every file (tests, seeding, scripts).</summary>
    public async Task<IngestReport> IngestAsync(
        string userId, string datasetId, IEnumerable<(string FileName, Stream Content)> files, string? label = null, CancellationToken ct = default)
    {
        var session = await BeginAsync(userId, datasetId, ct);
        await using (session)
        {
            foreach (var (fileName, content) in files)
            {
                await session.AddAsync(fileName, content, label, ct);
            }
        }

        return session.Report;
    }
}

internal sealed record IngestContext(
    string UserId,
    string DatasetId,
    IImageStore Images,
    IBlobStore Blobs,
    IImageInspector Inspector,
    DatasetMutations Mutations,
    DatasetOptions Options,
    QuotaService Quota,
    TimeProvider Clock);
