using System.Linq.Expressions;
using DiyMl.Domain.Predictions;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Predictions;

/// <summary>
/// Raw records plus one rollup document per model, UTC day and channel (see <see cref="PredictionRollup"/>
/// for why). A rollup is updated by read → add → compare-and-set replace, retried when another
/// writer got there first; the first prediction of a day inserts it under its derived id, and a
/// concurrent first insert loses on the primary key and retries as an update.
/// </summary>
internal sealed class PredictionStore : IPredictionStore
{
    private const int MaxAttempts = 500;

    private readonly IDocumentCollection<PredictionRecord> _records;
    private readonly IDocumentCollection<PredictionRollup> _rollups;
    private readonly Lazy<Task> _indexes;

    public PredictionStore(IStorageEngine engine)
    {
        _records = engine.Collection<PredictionRecord>("predictions");
        _rollups = engine.Collection<PredictionRollup>("prediction_rollups");
        _indexes = new Lazy<Task>(async () =>
        {
            await _records.EnsureIndexAsync(r => r.ModelId);
            await _rollups.EnsureIndexAsync(r => r.OwnerId);
            await _rollups.EnsureIndexAsync(r => r.ModelId);
        });
    }

    public async Task RecordAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct = default)
    {
        if (records.Count == 0)
        {
            return;
        }

        await _indexes.Value;
        await _records.InsertManyAsync(records, ct);

        // Recording must finish once the records are in, or the rollups would drift from them.
        foreach (var group in records.GroupBy(r => PredictionRollup.IdFor(r.ModelId, r.At.Date, r.Channel)))
        {
            await ApplyAsync(group.Key, [.. group], CancellationToken.None);
        }
    }

    public async Task<IReadOnlyList<PredictionRollup>> RollupsAsync(string ownerId, string? modelId, DateTime fromDay, CancellationToken ct = default)
    {
        await _indexes.Value;
        Expression<Func<PredictionRollup, bool>> filter = modelId is null
            ? r => r.OwnerId == ownerId && r.Day >= fromDay
            : r => r.ModelId == modelId && r.OwnerId == ownerId && r.Day >= fromDay;
        return await _rollups.FindAsync(filter, null, ct);
    }

    public Task<IReadOnlyList<PredictionRollup>> AllRollupsAsync(DateTime fromDay, CancellationToken ct = default) =>
        _rollups.FindAsync(r => r.Day >= fromDay, null, ct);

    public Task<IReadOnlyList<PredictionRecord>> RecentAsync(string ownerId, string modelId, int limit, CancellationToken ct = default) =>
        _records.FindAsync(
            r => r.ModelId == modelId && r.OwnerId == ownerId,
            new FindOptions<PredictionRecord>(r => r.At, Descending: true, Limit: Math.Clamp(limit, 1, 1000)),
            ct);

    public async Task DeleteForModelAsync(string modelId, CancellationToken ct = default)
    {
        await _rollups.DeleteManyAsync(r => r.ModelId == modelId, ct);
        await _records.DeleteManyAsync(r => r.ModelId == modelId, ct);
    }

    private async Task ApplyAsync(string rollupId, IReadOnlyList<PredictionRecord> records, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var rollup = await _rollups.GetAsync(rollupId, ct);
            if (rollup is null)
            {
                rollup = PredictionRollup.For(records[0]);
                Add(rollup, records);
                if (await TryInsertAsync(rollup, ct))
                {
                    return;
                }

                continue;
            }

            Add(rollup, records);
            if (await _rollups.ReplaceAsync(rollup, ct))
            {
                return;
            }

            // Someone else updated it between our read and write; back off a little, at random,
            // so that several writers on one hot rollup do not keep colliding in lockstep.
            await Task.Delay(Random.Shared.Next(0, Math.Min(attempt + 1, 10)), ct);
        }

        throw new InvalidOperationException($"Could not update prediction rollup {rollupId} after {MaxAttempts} attempts.");
    }

    private static void Add(PredictionRollup rollup, IReadOnlyList<PredictionRecord> records)
    {
        foreach (var record in records)
        {
            rollup.Add(record);
        }
    }

    private async Task<bool> TryInsertAsync(PredictionRollup rollup, CancellationToken ct)
    {
        try
        {
            await _rollups.InsertAsync(rollup, ct);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Each engine words a duplicate key its own way; what matters is whether the
            // document now exists (another writer inserted it first) or the insert truly failed.
            if (await _rollups.GetAsync(rollup.Id, ct) is null)
            {
                throw;
            }

            return false;
        }
    }
}
