using DiyMl.Domain.Common;

namespace DiyMl.Domain.Accounts;

/// <summary>
/// A one-time hand-over from the log-in form to the request that sets the cookie. Stored in the
/// shared database and deleted when redeemed, so a copied link replayed on any instance fails.
/// </summary>
public sealed class LoginTicket : Entity
{
    public string UserId { get; set; } = "";

    public string Stamp { get; set; } = "";

    public bool Remember { get; set; }

    public DateTime ExpiresAtUtc { get; set; }
}

public interface ILoginTicketStore
{
    Task InsertAsync(LoginTicket ticket, CancellationToken ct = default);

    /// <summary>Reads and deletes the ticket; exactly one caller gets it, whatever the instance.</summary>
    Task<LoginTicket?> TakeAsync(string id, CancellationToken ct = default);

    Task<long> DeleteExpiredAsync(DateTime nowUtc, CancellationToken ct = default);
}
