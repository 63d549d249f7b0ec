using DiyMl.Domain.Common;

namespace DiyMl.Domain.Accounts;

/// <summary>
/// A person who can sign in. The e-mail address is also the user name. Identity keeps the
/// normalized forms for look-ups; instants are stored as UTC <see cref="DateTime"/> because both
/// storage engines round-trip it but not <see cref="DateTimeOffset"/>.
/// "Disabled by an administrator" (<see cref="DisabledAtUtc"/>) is deliberately not Identity's
/// lockout: wrong passwords only throttle password sign-in, they never disable anything.
/// </summary>
public sealed class AppUser : Entity
{
    public string Email { get; set; } = "";

    public string NormalizedEmail { get; set; } = "";

    public string? PasswordHash { get; set; }

    public string SecurityStamp { get; set; } = "";

    public List<string> Roles { get; set; } = [];

    public bool LockoutEnabled { get; set; } = true;

    public DateTime? LockoutEndUtc { get; set; }

    public int AccessFailedCount { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    /// <summary>When an administrator disabled the account; null while it may be used.</summary>
    public DateTime? DisabledAtUtc { get; set; }

    public bool IsAdmin => Roles.Contains(AppRoles.Admin);

    /// <summary>What other people see of the account (on shared publications): the e-mail's part before the @, never the whole address.</summary>
    public string DisplayName => Email.IndexOf('@', StringComparison.Ordinal) is > 0 and var at ? Email[..at] : Email;

    public bool IsLockedOutAt(DateTime nowUtc) => LockoutEnabled && LockoutEndUtc is { } end && end > nowUtc;

    /// <summary>
    /// Disabled by an administrator. Before this flag existed an administrator's lock was an
    /// Identity lockout a hundred years long; such accounts stay disabled.
    /// </summary>
    public bool IsDisabledAt(DateTime nowUtc) => DisabledAtUtc is not null || (LockoutEndUtc is { } end && end > nowUtc.AddYears(1));
}

/// <summary>The two roles: the first registered user administers the portal, everyone else uses it.</summary>
public static class AppRoles
{
    public const string Admin = "Admin";

    public const string User = "User";

    public static readonly IReadOnlyList<string> All = [Admin, User];
}
