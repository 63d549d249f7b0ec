using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using DiyMl.Domain.Accounts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace DiyMl.Web.Auth;

/// <summary>
/// Bridges the interactive login form (which runs in a Blazor circuit and cannot set a cookie)
/// to a plain HTTP request that can: after the password was checked, the form gets a sealed
/// ticket valid for 30 seconds and usable once, and the browser carries it to
/// /account/complete-login. The ticket names the user and their security stamp, so a password
/// change or a lock in between voids it.
/// </summary>
public sealed class LoginTickets(IDataProtectionProvider provider, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ITimeLimitedDataProtector _protector =
        provider.CreateProtector("DiyMl.LoginTicket.v1").ToTimeLimitedDataProtector();

    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    public string Issue(AppUser user, bool remember)
    {
        var payload = new Payload(user.Id, user.SecurityStamp, remember, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        return _protector.Protect(JsonSerializer.Serialize(payload), Lifetime);
    }

    /// <summary>The user and the "remember me" choice, or null for a forged, expired, replayed or stale ticket.</summary>
    public async Task<(AppUser User, bool Remember)?> RedeemAsync(string? ticket, UserManager<AppUser> users)
    {
        Payload? payload;
        try
        {
            payload = ticket is { Length: > 0 and < 4096 } ? JsonSerializer.Deserialize<Payload>(_protector.Unprotect(ticket)) : null;
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        foreach (var old in _used.Where(u => u.Value < now).Select(u => u.Key).ToList())
        {
            _used.TryRemove(old, out _);
        }

        if (payload is null || !_used.TryAdd(payload.Nonce, now + Lifetime + Lifetime))
        {
            return null;
        }

        var user = await users.FindByIdAsync(payload.UserId);
        if (user is null || await users.IsLockedOutAsync(user) || !string.Equals(user.SecurityStamp, payload.Stamp, StringComparison.Ordinal))
        {
            return null;
        }

        return (user, payload.Remember);
    }

    private sealed record Payload(string UserId, string Stamp, bool Remember, string Nonce);
}
