using System.Linq.Expressions;
using DiyMl.Domain.Common;
using DiyMl.Domain.Predictions;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Predictions;

/// <summary>Kept prediction pictures; their blobs stay referenced until the record expires or its model goes.</summary>
internal sealed class KeptPredictionStore : IKeptPredictionStore, IBlobReferenceSource
{
    private readonly IDocumentCollection<KeptPrediction> _kept;
    private readonly Lazy<Task> _indexes;

    public KeptPredictionStore(IStorageEngine engine)
    {
        _kept = engine.Collection<KeptPrediction>("kept_predictions");
        _indexes = new Lazy<Task>(async () =>
        {
            await _kept.EnsureIndexAsync(k => k.ModelId);
            await _kept.EnsureIndexAsync(k => k.OwnerId);
        });
    }

    public async Task InsertAsync(KeptPrediction prediction, CancellationToken ct = default)
    {
        await _indexes.Value;
        await _kept.InsertAsync(prediction, ct);
    }

    public Task<KeptPrediction?> GetAsync(string id, CancellationToken ct = default) => _kept.GetAsync(id, ct);

    public async Task<Page<KeptPrediction>> QueryAsync(string modelId, bool? uncertain, PredictionLogOrder order, DateTime now, int skip, int take, CancellationToken ct = default)
    {
        await _indexes.Value;
        Expression<Func<KeptPrediction, bool>> filter = uncertain switch
        {
            null => k => k.ModelId == modelId && k.ExpiresAt > now,
            true => k => k.ModelId == modelId && k.ExpiresAt > now && k.Uncertain,
            false => k => k.ModelId == modelId && k.ExpiresAt > now && !k.Uncertain,
        };
        var options = order == PredictionLogOrder.LeastSure
            ? new FindOptions<KeptPrediction>(k => k.Confidence, Descending: false, skip, take)
            : new FindOptions<KeptPrediction>(k => k.CreatedAt, Descending: true, skip, take);
        var items = await _kept.FindAsync(filter, options, ct);
        return new Page<KeptPrediction>(items, await _kept.CountAsync(filter, ct));
    }

    public async Task<long> SumBytesByOwnerAsync(string ownerId, CancellationToken ct = default)
    {
        await _indexes.Value;
        var mine = await _kept.FindAsync(k => k.OwnerId == ownerId, null, ct);
        return mine.Sum(k => k.Bytes);
    }

    public Task<long> DeleteExpiredAsync(DateTime now, CancellationToken ct = default) => _kept.DeleteManyAsync(k => k.ExpiresAt <= now, ct);

    public Task DeleteForModelAsync(string modelId, CancellationToken ct = default) => _kept.DeleteManyAsync(k => k.ModelId == modelId, ct);

    public string Name => "kept predictions";

    public async Task AddReferencesAsync(ISet<string> referenced, CancellationToken ct)
    {
        foreach (var kept in await _kept.FindAsync(_ => true, null, ct))
        {
            referenced.Add(kept.Sha256);
        }
    }
}

/// <summary>Removes expired kept pictures hourly (their blobs go with the next blob sweep).</summary>
internal sealed class KeptPredictionSweepService(IKeptPredictionStore store, TimeProvider clock, Microsoft.Extensions.Logging.ILogger<KeptPredictionSweepService> log)
    : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                var removed = await store.DeleteExpiredAsync(clock.GetUtcNow().UtcDateTime, stoppingToken);
                if (removed > 0)
                {
                    Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(log, "Removed {Count} expired kept prediction pictures", removed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(log, ex, "Removing expired kept predictions failed; trying again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
