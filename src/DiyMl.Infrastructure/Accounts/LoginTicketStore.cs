using DiyMl.Domain.Accounts;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Accounts;

internal sealed class LoginTicketStore(IStorageEngine engine) : ILoginTicketStore
{
    private readonly IDocumentCollection<LoginTicket> _tickets = engine.Collection<LoginTicket>("login_tickets");

    public Task InsertAsync(LoginTicket ticket, CancellationToken ct = default) => _tickets.InsertAsync(ticket, ct);

    public async Task<LoginTicket?> TakeAsync(string id, CancellationToken ct = default)
    {
        var ticket = await _tickets.GetAsync(id, ct);

        // The delete is the decision: of two instances redeeming the same ticket, one deletes it.
        return ticket is not null && await _tickets.DeleteAsync(id, ct) ? ticket : null;
    }

    public Task<long> DeleteExpiredAsync(DateTime nowUtc, CancellationToken ct = default) => _tickets.DeleteManyAsync(t => t.ExpiresAtUtc < nowUtc, ct);
}
