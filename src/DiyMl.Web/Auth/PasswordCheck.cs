using DiyMl.Domain.Accounts;
using DiyMl.Web.Security;
using Microsoft.AspNetCore.Identity;

namespace DiyMl.Web.Auth;

public enum PasswordCheckStatus
{
    Succeeded,
    Wrong,
    Disabled,
}

/// <summary>
/// The one password check behind the REST log-in and the log-in form. Throttled per account and
/// per client address; an unknown e-mail costs the same PBKDF2 work as a known one, so neither
/// the answer nor its timing says whether an account exists.
/// </summary>
public sealed class PasswordCheck(UserManager<AppUser> users, LoginThrottle throttle, DummyPasswordHash dummy, TimeProvider clock)
{
    /// <exception cref="TooManyAttemptsException">Too many wrong passwords for this account or from this address.</exception>
    public async Task<(PasswordCheckStatus Status, AppUser? User)> CheckAsync(string email, string password, string clientAddress)
    {
        var account = users.NormalizeEmail(email.Trim()) ?? "";
        if ((throttle.TakeAttempt(clientAddress) ?? throttle.RetryAfter(account, clientAddress)) is { } wait)
        {
            throw new TooManyAttemptsException(wait);
        }

        var user = await users.FindByEmailAsync(email.Trim());
        var right = user is not null ? await users.CheckPasswordAsync(user, password) : dummy.Verify(password);
        if (!right || user is null)
        {
            throttle.RecordFailure(account, clientAddress);
            return (PasswordCheckStatus.Wrong, null);
        }

        return user.IsDisabledAt(clock.GetUtcNow().UtcDateTime) ? (PasswordCheckStatus.Disabled, user) : (PasswordCheckStatus.Succeeded, user);
    }

    public const string WrongMessage = "The e-mail address or the password is wrong.";

    public const string DisabledMessage = "An administrator has locked this account; ask them to unlock it.";
}

/// <summary>A hash of a random password made with the portal's own hasher settings, verified for unknown e-mails.</summary>
public sealed class DummyPasswordHash(IServiceScopeFactory scopes)
{
    private readonly Lazy<(IPasswordHasher<AppUser> Hasher, string Hash)> _hash = new(() =>
    {
        using var scope = scopes.CreateScope();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<AppUser>>();
        return (hasher, hasher.HashPassword(new AppUser(), Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));
    });

    /// <summary>Always false, after the same work as checking a real password.</summary>
    public bool Verify(string password)
    {
        var (hasher, hash) = _hash.Value;
        _ = hasher.VerifyHashedPassword(new AppUser(), hash, password);
        return false;
    }
}
