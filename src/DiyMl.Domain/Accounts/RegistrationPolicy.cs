using System.Security.Cryptography;
using System.Text;
using DiyMl.Domain.Common;

namespace DiyMl.Domain.Accounts;

/// <summary>An administrator's one-use invitation to register; only the hash of its code is kept.</summary>
public sealed class Invite : Entity
{
    public string CodeHash { get; set; } = "";

    public string CreatedBy { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }

    public DateTime ExpiresAtUtc { get; set; }

    public string? UsedBy { get; set; }
}

public interface IInviteStore
{
    Task<Invite?> GetAsync(string id, CancellationToken ct = default);

    Task InsertAsync(Invite invite, CancellationToken ct = default);

    /// <summary>Compare-and-set on the version, so one invite admits one person even across instances.</summary>
    Task<bool> ReplaceAsync(Invite invite, CancellationToken ct = default);
}

/// <summary>A new invite: <see cref="Code"/> is shown once, in the link the administrator hands out.</summary>
public sealed record CreatedInvite(Invite Invite, string Code);

/// <summary>Who may register (<see cref="RegistrationMode"/>) and the invite codes that open an invite-only portal.</summary>
public sealed class RegistrationPolicy(IInviteStore invites, IPortalSettingsStore portal, TimeProvider clock)
{
    public static readonly TimeSpan InviteLifetime = TimeSpan.FromDays(7);

    private const string Prefix = "inv_";

    /// <summary>Takes the invite (when the mode needs one) before the account is created; null when none is needed.</summary>
    public async Task<Invite?> ConsumeAsync(RegistrationMode mode, string? code, CancellationToken ct = default)
    {
        switch (mode)
        {
            case RegistrationMode.Open:
                return null;
            case RegistrationMode.Closed:
                throw new ForbiddenException("Registration is closed on this portal; ask its administrator for an account.");
        }

        var invite = await FindAsync(code, ct);
        if (invite is null || invite.UsedBy is not null || invite.ExpiresAtUtc <= clock.GetUtcNow().UtcDateTime)
        {
            throw new ForbiddenException("Registration needs an invite link from the administrator; this one is missing, used or expired.");
        }

        invite.UsedBy = "pending";
        if (!await invites.ReplaceAsync(invite, ct))
        {
            throw new ForbiddenException("This invite link was just used by someone else.");
        }

        return invite;
    }

    /// <summary>Records who used the invite, or gives it back when the account could not be created.</summary>
    public async Task FinishAsync(Invite invite, string? userId, CancellationToken ct = default)
    {
        invite.UsedBy = userId;
        await invites.ReplaceAsync(invite, ct);
    }

    public async Task<CreatedInvite> CreateInviteAsync(string adminId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var invite = new Invite { CreatedBy = adminId, CreatedAtUtc = now, ExpiresAtUtc = now + InviteLifetime };
        var code = $"{Prefix}{invite.Id}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))}";
        invite.CodeHash = Hash(code);
        await invites.InsertAsync(invite, ct);
        return new CreatedInvite(invite, code);
    }

    public async Task<RegistrationMode> GetModeAsync(CancellationToken ct = default) => (await portal.GetAsync(ct)).RegistrationMode;

    public async Task SetModeAsync(RegistrationMode mode, CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var settings = await portal.GetAsync(ct);
            settings.RegistrationMode = mode;
            if (await portal.ReplaceAsync(settings, ct))
            {
                return;
            }
        }

        throw new ConflictException("The portal settings were changed at the same time by someone else; try again.");
    }

    private async Task<Invite?> FindAsync(string? code, CancellationToken ct)
    {
        if (code is null || code.Length > 200 || !code.StartsWith(Prefix, StringComparison.Ordinal) || code.Length < Prefix.Length + 25)
        {
            return null;
        }

        var id = code.Substring(Prefix.Length, 24);
        var invite = Ids.IsValid(id) ? await invites.GetAsync(id, ct) : null;
        return invite is not null && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(invite.CodeHash), SHA256.HashData(Encoding.UTF8.GetBytes(code)))
            ? invite
            : null;
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}
