using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Web.Security;
using Microsoft.AspNetCore.Identity;

namespace DiyMl.Web.Auth;

/// <summary>
/// Account use cases on top of Identity's UserManager: register (the first account becomes
/// Admin, decided by compare-and-set on the shared <see cref="PortalSettings"/>, so it holds
/// across instances), change password, disable and enable, sign out everywhere. Failures are
/// domain exceptions, so the REST endpoints answer ProblemDetails and pages show the message
/// next to the right field.
/// </summary>
public sealed class AccountService(
    UserManager<AppUser> users, IPortalSettingsStore portal, RegistrationPolicy registration, SessionRevocation sessions, TimeProvider clock)
{
    public Task<AppUser> RegisterAsync(string? email, string? password, CancellationToken ct = default) =>
        RegisterAsync(email, password, null, ct);

    public async Task<AppUser> RegisterAsync(string? email, string? password, string? inviteCode, CancellationToken ct = default)
    {
        var errors = AccountInput.Validate(email, password);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var settings = await portal.GetAsync(ct);
        var invite = settings.FirstAdminId is null ? null : await registration.ConsumeAsync(settings.RegistrationMode, inviteCode, ct);
        var user = new AppUser
        {
            Email = email!.Trim(),
            Roles = [AppRoles.User],
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        try
        {
            ThrowIfFailed(await users.CreateAsync(user, password!));
        }
        catch when (invite is not null)
        {
            await registration.FinishAsync(invite, null, CancellationToken.None); // a weak password must not use up the invite
            throw;
        }

        if (invite is not null)
        {
            await registration.FinishAsync(invite, user.Id, ct);
        }

        if (settings.FirstAdminId is null)
        {
            settings.FirstAdminId = user.Id;
            if (await portal.ReplaceAsync(settings, ct))
            {
                user.Roles = [AppRoles.Admin];
                ThrowIfFailed(await users.UpdateAsync(user));
            }
        }

        return user;
    }

    public async Task ChangePasswordAsync(string userId, string? currentPassword, string? newPassword)
    {
        var errors = new Dictionary<string, string[]>();
        if (AccountInput.PasswordPresenceError(currentPassword, "your current password") is { } current)
        {
            errors["currentPassword"] = [current];
        }

        if (AccountInput.PasswordPresenceError(newPassword, "a new password") is { } next)
        {
            errors["newPassword"] = [next];
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException("User", userId);
        var result = await users.ChangePasswordAsync(user, currentPassword!, newPassword!);
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
        {
            throw new DomainValidationException("currentPassword", "The current password is wrong.");
        }

        ThrowIfFailed(result, passwordField: "newPassword");
        await sessions.EndAsync(user.Id); // UserManager renewed the stamp; end this instance's hub connections now
    }

    /// <summary>
    /// Disables (or enables) an account. Disabled, its cookies, tokens, API keys, circuits and hub
    /// connections stop working within seconds. Wrong passwords never do this; only an administrator.
    /// </summary>
    public async Task SetLockedAsync(string adminId, string userId, bool locked)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException("User", userId);
        if (locked && string.Equals(user.Id, adminId, StringComparison.Ordinal))
        {
            throw new ConflictException("You cannot lock your own account.");
        }

        user.DisabledAtUtc = locked ? clock.GetUtcNow().UtcDateTime : null;
        if (!locked)
        {
            user.LockoutEndUtc = null; // an administrator's lock from before DisabledAtUtc existed
            user.AccessFailedCount = 0;
        }

        ThrowIfFailed(await users.UpdateSecurityStampAsync(user)); // saves the user too
        await sessions.EndAsync(user.Id);
    }

    /// <summary>Ends every browser session, bearer token, refresh token and hub connection of the account; API keys stay.</summary>
    public async Task SignOutEverywhereAsync(string userId)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException("User", userId);
        ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
        await sessions.EndAsync(user.Id);
    }

    private static void ThrowIfFailed(IdentityResult result, string passwordField = "password")
    {
        if (result.Succeeded)
        {
            return;
        }

        if (result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            throw new ConflictException("An account with this e-mail address already exists; log in instead.");
        }

        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
        {
            throw new ConflictException("The account was changed at the same time by someone else; try again.");
        }

        var errors = result.Errors
            .GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? passwordField
                : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? "email"
                : "account")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
        throw new DomainValidationException(errors);
    }
}
