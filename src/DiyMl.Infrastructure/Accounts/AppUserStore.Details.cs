using DiyMl.Domain.Accounts;
using Microsoft.AspNetCore.Identity;

namespace DiyMl.Infrastructure.Accounts;

/// <summary>The per-feature parts of the store: they only read or change the user object; UpdateAsync saves it.</summary>
internal sealed partial class AppUserStore
{
    public Task SetPasswordHashAsync(AppUser user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetEmailAsync(AppUser user, string? email, CancellationToken cancellationToken)
    {
        user.Email = email ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetEmailAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    // Nobody confirms e-mail on a self-hosted portal without a mail server; treat addresses as confirmed.
    public Task<bool> GetEmailConfirmedAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetEmailConfirmedAsync(AppUser user, bool confirmed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<string?> GetNormalizedEmailAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(AppUser user, string? normalizedEmail, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedEmail ?? "";
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(AppUser user, CancellationToken cancellationToken) =>
        Task.FromResult<DateTimeOffset?>(user.LockoutEndUtc is { } end ? new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc)) : null);

    public Task SetLockoutEndDateAsync(AppUser user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEndUtc = lockoutEnd?.UtcDateTime;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(AppUser user, CancellationToken cancellationToken) =>
        Task.FromResult(++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(AppUser user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    public Task<bool> GetLockoutEnabledAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnabled);

    public Task SetLockoutEnabledAsync(AppUser user, bool enabled, CancellationToken cancellationToken)
    {
        user.LockoutEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task SetSecurityStampAsync(AppUser user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public Task AddToRoleAsync(AppUser user, string roleName, CancellationToken cancellationToken)
    {
        var role = Canonical(roleName);
        if (!user.Roles.Contains(role))
        {
            user.Roles.Add(role);
        }

        return Task.CompletedTask;
    }

    public Task RemoveFromRoleAsync(AppUser user, string roleName, CancellationToken cancellationToken)
    {
        user.Roles.Remove(Canonical(roleName));
        return Task.CompletedTask;
    }

    public Task<IList<string>> GetRolesAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<IList<string>>([.. user.Roles]);

    public Task<bool> IsInRoleAsync(AppUser user, string roleName, CancellationToken cancellationToken) =>
        Task.FromResult(user.Roles.Contains(Canonical(roleName)));

    public async Task<IList<AppUser>> GetUsersInRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        var role = Canonical(roleName);
        var all = await _users.FindAsync(u => u.Id != null, null, cancellationToken);
        return [.. all.Where(u => u.Roles.Contains(role))];
    }

    // UserManager hands normalized (upper-case) role names to the store; keep the readable form.
    private static string Canonical(string roleName) =>
        AppRoles.All.FirstOrDefault(r => string.Equals(r, roleName, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidOperationException($"Unknown role '{roleName}'.");
}
