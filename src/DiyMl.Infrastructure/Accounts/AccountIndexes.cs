using DiyMl.Domain.Accounts;
using DiyMl.Infrastructure.Storage;
using Microsoft.Extensions.Hosting;

namespace DiyMl.Infrastructure.Accounts;

/// <summary>Creates the account indexes once at start-up, before requests are served.</summary>
internal sealed class AccountIndexes(IStorageEngine engine) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await engine.Collection<AppUser>(AppUserStore.CollectionName).EnsureIndexAsync(u => u.NormalizedEmail, unique: true, cancellationToken);
        await engine.Collection<ApiKey>(ApiKeyStore.CollectionName).EnsureIndexAsync(k => k.OwnerId, unique: false, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
