using System.Collections.Concurrent;
using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>Create, describe, list and delete datasets; every call is scoped to its owner.</summary>
public sealed class DatasetService(
    IDatasetStore datasets,
    IImageStore images,
    OperationLog operations,
    DatasetMutations mutations,
    TimeProvider clock)
{
    // Counting per class means reading every image document; at 10,000 images that is worth
    // caching until the dataset changes (new revision) or gains/loses images (new count).
    private readonly ConcurrentDictionary<string, CachedCounts> _counts = new(StringComparer.Ordinal);

    public async Task<Dataset> CreateAsync(string userId, string? name, string? description, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var dataset = new Dataset
        {
            OwnerId = userId,
            Name = ClassNames.ValidateDatasetName(name),
            Description = ClassNames.ValidateDescription(description),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await datasets.InsertAsync(dataset, ct);
        return dataset;
    }

    public Task<Dataset> GetAsync(string userId, string datasetId, CancellationToken ct = default) =>
        mutations.LoadOwnedAsync(userId, datasetId, ct);

    public async Task<DatasetSummary> GetSummaryAsync(string userId, string datasetId, CancellationToken ct = default) =>
        await SummarizeAsync(await GetAsync(userId, datasetId, ct), ct);

    public async Task<Page<DatasetSummary>> ListAsync(string userId, CancellationToken ct = default)
    {
        var owned = await datasets.ListByOwnerAsync(userId, ct);
        var summaries = new List<DatasetSummary>(owned.Count);
        foreach (var dataset in owned.OrderByDescending(d => d.UpdatedAt))
        {
            summaries.Add(await SummarizeAsync(dataset, ct));
        }

        return new Page<DatasetSummary>(summaries, summaries.Count);
    }

    /// <summary>Changes name and/or description; a null argument leaves that field as it is.</summary>
    public Task<Dataset> UpdateAsync(string userId, string datasetId, string? name, string? description, CancellationToken ct = default)
    {
        var newName = name is null ? null : ClassNames.ValidateDatasetName(name);
        var newDescription = description is null ? null : ClassNames.ValidateDescription(description);
        return mutations.UpdateAsync(userId, datasetId, d =>
        {
            d.Name = newName ?? d.Name;
            d.Description = newDescription ?? d.Description;
        }, ct);
    }

    /// <summary>
    /// Deletes the dataset and its images as one resumable operation; blobs no one else uses are
    /// reclaimed by the sweeper after the grace period.
    /// </summary>
    public async Task DeleteAsync(string userId, string datasetId, CancellationToken ct = default)
    {
        var dataset = await GetAsync(userId, datasetId, ct);
        await operations.RunAsync(new PendingOperation { Kind = OperationKind.DatasetDelete, OwnerId = dataset.OwnerId, TargetId = dataset.Id }, ct);
    }

    internal async Task<DatasetSummary> SummarizeAsync(Dataset dataset, CancellationToken ct)
    {
        var total = await images.CountAsync(dataset.Id, ct);
        if (!_counts.TryGetValue(dataset.Id, out var cached) || cached.Revision != dataset.Revision || cached.Total != total)
        {
            var labels = (await images.ListByDatasetAsync(dataset.Id, ct))
                .GroupBy(i => i.Label ?? "")
                .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
            cached = new CachedCounts(dataset.Revision, labels.Values.Sum(), labels);
            _counts[dataset.Id] = cached;
        }

        var classes = dataset.Classes.Select(c => new ClassCount(c, cached.ByLabel.GetValueOrDefault(c))).ToList();
        return new DatasetSummary(dataset, cached.Total, cached.ByLabel.GetValueOrDefault(""), classes);
    }

    /// <summary>Marks a dataset as a test set, or turns a test set into an ordinary dataset to train on.</summary>
    public Task<Dataset> SetPurposeAsync(string userId, string datasetId, DatasetPurpose purpose, CancellationToken ct = default) =>
        Enum.IsDefined(purpose)
            ? mutations.UpdateAsync(userId, datasetId, d => d.Purpose = purpose, ct)
            : throw new DomainValidationException("purpose", "A dataset's purpose is either training or test.");

    private sealed record CachedCounts(long Revision, long Total, Dictionary<string, long> ByLabel);
}
