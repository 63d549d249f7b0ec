using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using Microsoft.AspNetCore.Identity;

namespace DiyMl.Web.Auth;

/// <summary>
/// Account use cases on top of Identity's UserManager: register (the first account becomes
/// Admin), change password, lock and unlock. Failures are domain exceptions, so the REST
/// endpoints answer ProblemDetails and pages show the message next to the right field.
/// </summary>
public sealed class AccountService(UserManager<AppUser> users, IUserDirectory directory, RegistrationGate gate, TimeProvider clock)
{
    public async Task<AppUser> RegisterAsync(string? email, string? password, CancellationToken ct = default)
    {
        var errors = AccountInput.Validate(email, password);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        // One registration at a time, so two people racing on a fresh install cannot both become Admin.
        await gate.Semaphore.WaitAsync(ct);
        try
        {
            var isFirst = await directory.CountAsync(ct) == 0;
            var user = new AppUser
            {
                Email = email!.Trim(),
                Roles = [isFirst ? AppRoles.Admin : AppRoles.User],
                CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
            };
            ThrowIfFailed(await users.CreateAsync(user, password!));
            return user;
        }
        finally
        {
            gate.Semaphore.Release();
        }
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
    }

    /// <summary>Locks an account until unlocked; its cookies, tokens and API keys stop working at once.</summary>
    public async Task SetLockedAsync(string adminId, string userId, bool locked)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException("User", userId);
        if (locked && string.Equals(user.Id, adminId, StringComparison.Ordinal))
        {
            throw new ConflictException("You cannot lock your own account.");
        }

        // Far enough to mean "until someone unlocks it", near enough for every engine's date range.
        var end = locked ? clock.GetUtcNow().AddYears(100) : (DateTimeOffset?)null;
        ThrowIfFailed(await users.SetLockoutEnabledAsync(user, true));
        ThrowIfFailed(await users.SetLockoutEndDateAsync(user, end));
        if (!locked)
        {
            ThrowIfFailed(await users.ResetAccessFailedCountAsync(user));
        }

        ThrowIfFailed(await users.UpdateSecurityStampAsync(user));
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

/// <summary>Serializes registrations within this process (see <see cref="AccountService.RegisterAsync"/>).</summary>
public sealed class RegistrationGate
{
    public SemaphoreSlim Semaphore { get; } = new(1, 1);
}
