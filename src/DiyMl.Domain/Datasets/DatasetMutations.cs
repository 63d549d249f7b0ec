using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// Compare-and-set updates of a dataset document with retry: concurrent uploads and edits each
/// reload and reapply their change instead of overwriting each other.
/// </summary>
public sealed class DatasetMutations(IDatasetStore datasets, TimeProvider clock)
{
    public async Task<Dataset> LoadOwnedAsync(string userId, string datasetId, CancellationToken ct)
    {
        var dataset = Ids.IsValid(datasetId) ? await datasets.GetAsync(datasetId, ct) : null;
        return dataset.EnsureOwnedBy(userId, "Dataset", datasetId);
    }

    /// <summary>Applies <paramref name="change"/> (which may throw to refuse) and bumps the revision.</summary>
    public async Task<Dataset> UpdateAsync(string userId, string datasetId, Action<Dataset> change, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var dataset = await LoadOwnedAsync(userId, datasetId, ct);
            change(dataset);
            dataset.Revision++;
            dataset.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            if (await datasets.ReplaceAsync(dataset, ct))
            {
                return dataset;
            }

            if (attempt >= 50)
            {
                throw new ConflictException("The dataset is being changed by someone else right now; try again.");
            }
        }
    }

    /// <summary>Makes sure the class exists (matching case-insensitively) and returns its stored spelling.</summary>
    public async Task<string> EnsureClassAsync(string userId, string datasetId, string label, CancellationToken ct)
    {
        var name = ClassNames.Validate(label, "label");
        var dataset = await LoadOwnedAsync(userId, datasetId, ct);
        if (ClassNames.FindExisting(dataset.Classes, name) is { } existing)
        {
            return existing;
        }

        string result = name;
        await UpdateAsync(userId, datasetId, d =>
        {
            if (ClassNames.FindExisting(d.Classes, name) is { } raced)
            {
                result = raced;
            }
            else
            {
                d.Classes.Add(name);
            }
        }, ct);
        return result;
    }
}
