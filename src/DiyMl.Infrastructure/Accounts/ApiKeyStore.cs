using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Accounts;

internal sealed class ApiKeyStore(IStorageEngine engine) : IApiKeyStore
{
    internal const string CollectionName = "api_keys";

    private readonly IDocumentCollection<ApiKey> _keys = engine.Collection<ApiKey>(CollectionName);

    public Task<ApiKey?> GetAsync(string id, CancellationToken ct = default) => _keys.GetAsync(id, ct);

    public async Task<Page<ApiKey>> ListByOwnerAsync(string ownerId, CancellationToken ct = default)
    {
        var items = await _keys.FindAsync(k => k.OwnerId == ownerId, new FindOptions<ApiKey>(k => k.CreatedAtUtc, Descending: true), ct);
        return new Page<ApiKey>(items, items.Count);
    }

    public Task<long> CountByOwnerAsync(string ownerId, CancellationToken ct = default) => _keys.CountAsync(k => k.OwnerId == ownerId, ct);

    public Task InsertAsync(ApiKey key, CancellationToken ct = default) => _keys.InsertAsync(key, ct);

    public Task<bool> DeleteAsync(string id, CancellationToken ct = default) => _keys.DeleteAsync(id, ct);

    public Task<bool> TouchAsync(ApiKey key, CancellationToken ct = default) => _keys.ReplaceAsync(key, ct);
}
