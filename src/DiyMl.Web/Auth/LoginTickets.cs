using System.Security.Cryptography;
using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace DiyMl.Web.Auth;

/// <summary>
/// Bridges the interactive login form (which runs in a Blazor circuit and cannot set a cookie)
/// to a plain HTTP request that can: after the password was checked, the form gets a sealed
/// ticket valid for 30 seconds, and the browser carries it to /account/complete-login. The
/// ticket is a document in the shared database that redeeming deletes, so it works once on
/// whichever instance; it names the user's security stamp, so a password change or a lock in
/// between voids it.
/// </summary>
public sealed class LoginTickets(IDataProtectionProvider provider, ILoginTicketStore store, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ITimeLimitedDataProtector _protector =
        provider.CreateProtector("DiyMl.LoginTicket.v2").ToTimeLimitedDataProtector();

    public async Task<string> IssueAsync(AppUser user, bool remember)
    {
        var now = clock.GetUtcNow();
        await store.DeleteExpiredAsync(now.UtcDateTime);
        var ticket = new LoginTicket { UserId = user.Id, Stamp = user.SecurityStamp, Remember = remember, ExpiresAtUtc = (now + Lifetime).UtcDateTime };
        await store.InsertAsync(ticket);
        return _protector.Protect(ticket.Id, Lifetime);
    }

    /// <summary>The user and the "remember me" choice, or null for a forged, expired, replayed or stale ticket.</summary>
    public async Task<(AppUser User, bool Remember)?> RedeemAsync(string? ticket, UserManager<AppUser> users, ActiveAccountCheck accounts)
    {
        string id;
        try
        {
            id = ticket is { Length: > 0 and < 4096 } ? _protector.Unprotect(ticket) : "";
        }
        catch (CryptographicException)
        {
            return null;
        }

        var stored = Ids.IsValid(id) ? await store.TakeAsync(id) : null;
        if (stored is null || stored.ExpiresAtUtc <= clock.GetUtcNow().UtcDateTime)
        {
            return null;
        }

        var user = await users.FindByIdAsync(stored.UserId);
        if (user is null || !accounts.IsActive(user) || !string.Equals(user.SecurityStamp, stored.Stamp, StringComparison.Ordinal))
        {
            return null;
        }

        return (user, stored.Remember);
    }
}
