using DiyMl.Domain.Common;

namespace DiyMl.Domain.Accounts;

/// <summary>
/// A person who can sign in. The e-mail address is also the user name. Identity keeps the
/// normalized forms for look-ups; lockout is stored as a UTC instant because both storage
/// engines round-trip <see cref="DateTime"/> but not <see cref="DateTimeOffset"/>.
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

    public bool IsAdmin => Roles.Contains(AppRoles.Admin);

    public bool IsLockedOutAt(DateTime nowUtc) => LockoutEnabled && LockoutEndUtc is { } end && end > nowUtc;
}

/// <summary>The two roles: the first registered user administers the portal, everyone else uses it.</summary>
public static class AppRoles
{
    public const string Admin = "Admin";

    public const string User = "User";

    public static readonly IReadOnlyList<string> All = [Admin, User];
}
