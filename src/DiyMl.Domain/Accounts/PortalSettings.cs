using DiyMl.Domain.Common;

namespace DiyMl.Domain.Accounts;

/// <summary>Who may create an account.</summary>
public enum RegistrationMode
{
    /// <summary>Anyone who reaches the portal.</summary>
    Open,

    /// <summary>Only people holding an invite link from an administrator.</summary>
    InviteOnly,

    /// <summary>Nobody; an administrator reopens it.</summary>
    Closed,
}

/// <summary>
/// The one portal-wide document every instance shares. <see cref="FirstAdminId"/> is set once,
/// by compare-and-set, so two instances racing the first registrations make exactly one Admin.
/// </summary>
public sealed class PortalSettings : Entity
{
    /// <summary>The fixed id of the single document (an ObjectId-shaped constant, so every engine accepts it).</summary>
    public const string SingletonId = "000000000000000000000001";

    public PortalSettings() => Id = SingletonId;

    public string? FirstAdminId { get; set; }

    public RegistrationMode RegistrationMode { get; set; } = RegistrationMode.Open;
}

/// <summary>Reads and changes <see cref="PortalSettings"/>; <see cref="ReplaceAsync"/> is compare-and-set.</summary>
public interface IPortalSettingsStore
{
    /// <summary>The settings, created on first use (an existing portal's first admin counts as already chosen).</summary>
    Task<PortalSettings> GetAsync(CancellationToken ct = default);

    Task<bool> ReplaceAsync(PortalSettings settings, CancellationToken ct = default);
}
