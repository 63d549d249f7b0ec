using DiyMl.Domain.Accounts;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Accounts;

internal sealed class InviteStore(IStorageEngine engine) : IInviteStore
{
    private readonly IDocumentCollection<Invite> _invites = engine.Collection<Invite>("invites");

    public Task<Invite?> GetAsync(string id, CancellationToken ct = default) => _invites.GetAsync(id, ct);

    public Task InsertAsync(Invite invite, CancellationToken ct = default) => _invites.InsertAsync(invite, ct);

    public Task<bool> ReplaceAsync(Invite invite, CancellationToken ct = default) => _invites.ReplaceAsync(invite, ct);
}
