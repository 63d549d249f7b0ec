using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Accounts;

internal sealed class UserDirectory(IStorageEngine engine) : IUserDirectory
{
    private readonly IDocumentCollection<AppUser> _users = engine.Collection<AppUser>(AppUserStore.CollectionName);

    public async Task<Page<AppUser>> ListAsync(int skip, int take, CancellationToken ct = default)
    {
        var items = await _users.FindAsync(u => u.Id != null, new FindOptions<AppUser>(u => u.CreatedAtUtc, Skip: skip, Limit: take), ct);
        return new Page<AppUser>(items, await CountAsync(ct));
    }

    public Task<long> CountAsync(CancellationToken ct = default) => _users.CountAsync(u => u.Id != null, ct);

    public Task<AppUser?> GetAsync(string id, CancellationToken ct = default) =>
        Ids.IsValid(id) ? _users.GetAsync(id, ct) : Task.FromResult<AppUser?>(null);
}
