using DiyMl.Domain.Accounts;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Accounts;

internal sealed class RefreshChainStore(IStorageEngine engine) : IRefreshChainStore
{
    internal const string CollectionName = "refresh_chains";

    private readonly IDocumentCollection<RefreshChain> _chains = engine.Collection<RefreshChain>(CollectionName);

    public Task<RefreshChain?> GetAsync(string id, CancellationToken ct = default) => _chains.GetAsync(id, ct);

    public Task InsertAsync(RefreshChain chain, CancellationToken ct = default) => _chains.InsertAsync(chain, ct);

    public Task<bool> ReplaceAsync(RefreshChain chain, CancellationToken ct = default) => _chains.ReplaceAsync(chain, ct);
}
