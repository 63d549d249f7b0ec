using DiyMl.Domain.Quotas;
using DiyMl.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DiyMl.Infrastructure.Quotas;

/// <summary><see cref="IStorageUsageStore"/> over the storage seam (collection <c>storageUsage</c>, one document per user).</summary>
internal sealed class StorageUsageStore(IStorageEngine engine) : IStorageUsageStore
{
    private readonly IDocumentCollection<StorageUsage> _usage = engine.Collection<StorageUsage>("storageUsage");

    public Task<StorageUsage?> GetAsync(string userId, CancellationToken ct = default) => _usage.GetAsync(userId, ct);

    public async Task<bool> TryInsertAsync(StorageUsage usage, CancellationToken ct = default)
    {
        try
        {
            await _usage.InsertAsync(usage, ct);
            return true;
        }
        catch (Exception)
        {
            // both engines refuse a second document with the same id; which exception says so differs
            if (await _usage.GetAsync(usage.Id, ct) is not null)
            {
                return false;
            }

            throw;
        }
    }

    public Task<bool> TryReplaceAsync(StorageUsage usage, CancellationToken ct = default) => _usage.ReplaceAsync(usage, ct);
}

public static class QuotasInfrastructureExtensions
{
    /// <summary>The usage record, and the kept prediction pictures the quota also counts.</summary>
    public static IServiceCollection AddQuotaStores(this IServiceCollection services)
    {
        services.AddSingleton<IStorageUsageStore, StorageUsageStore>();
        services.TryAddSingleton<Predictions.KeptPredictionStore>();
        services.TryAddSingleton<Domain.Predictions.IKeptPredictionStore>(sp => sp.GetRequiredService<Predictions.KeptPredictionStore>());
        return services;
    }
}
