using System.Collections.Concurrent;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// Figures and warnings about a dataset, cached per (revision, image count) so the page opens
/// instantly until something in the dataset changes.
/// </summary>
public sealed class DatasetAnalysisService(IImageStore images, DatasetMutations mutations, DatasetOptions options)
{
    public const int ShownPairs = 200;

    private readonly ConcurrentDictionary<string, CachedAnalysis> _cache = new(StringComparer.Ordinal);

    public async Task<DatasetAnalysis> AnalyzeAsync(string userId, string datasetId, CancellationToken ct = default) =>
        (await GetOrComputeAsync(userId, datasetId, ct)).Analysis;

    /// <summary>
    /// Image id pairs that look nearly identical (Hamming distance of dHashes within the
    /// threshold, default from options). The training feature uses this to keep such pairs on
    /// one side of a train/test split.
    /// </summary>
    public async Task<IReadOnlyList<NearDuplicatePair>> FindNearDuplicatePairsAsync(
        string userId, string datasetId, int? threshold = null, CancellationToken ct = default)
    {
        if (threshold is { } custom && custom != options.NearDuplicateThreshold)
        {
            var dataset = await mutations.LoadOwnedAsync(userId, datasetId, ct);
            var all = await images.ListByDatasetAsync(dataset.Id, ct);
            return NearDuplicates.Find(all.Select(i => (i.Id, i.DHash)).ToList(), custom);
        }

        return (await GetOrComputeAsync(userId, datasetId, ct)).Pairs;
    }

    private async Task<CachedAnalysis> GetOrComputeAsync(string userId, string datasetId, CancellationToken ct)
    {
        var dataset = await mutations.LoadOwnedAsync(userId, datasetId, ct);
        var count = await images.CountAsync(dataset.Id, ct);
        if (_cache.TryGetValue(dataset.Id, out var cached) && cached.Revision == dataset.Revision && cached.Count == count)
        {
            return cached;
        }

        var all = await images.ListByDatasetAsync(dataset.Id, ct);
        var pairs = NearDuplicates.Find(all.Select(i => (i.Id, i.DHash)).ToList(), options.NearDuplicateThreshold);
        var fresh = new CachedAnalysis(dataset.Revision, count, DatasetAnalyzer.Analyze(dataset, all, pairs), pairs);
        _cache[dataset.Id] = fresh;
        return fresh;
    }

    private sealed record CachedAnalysis(long Revision, long Count, DatasetAnalysis Analysis, IReadOnlyList<NearDuplicatePair> Pairs);
}
