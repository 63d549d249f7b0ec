using DiyMl.Domain.Accounts;
using DiyMl.Infrastructure.Storage;
using Microsoft.AspNetCore.Identity;

namespace DiyMl.Infrastructure.Accounts;

/// <summary>
/// Identity's user store over the storage seam. The e-mail is the user name. Uniqueness holds
/// across instances: a claim document whose _id is derived from the normalised address is
/// inserted first, and _id is unique on every engine, including MongoDB look-alikes (CongoDB)
/// that ignore secondary unique indexes; the unique index on NormalizedEmail guards as well.
/// Updates are compare-and-set on <see cref="DiyMl.Domain.Common.Entity.Version"/>.
/// </summary>
internal sealed partial class AppUserStore(IStorageEngine engine, UserWriteGate gate, TimeProvider clock) :
    IUserPasswordStore<AppUser>,
    IUserEmailStore<AppUser>,
    IUserLockoutStore<AppUser>,
    IUserSecurityStampStore<AppUser>,
    IUserRoleStore<AppUser>
{
    internal const string CollectionName = "users";

    private readonly IDocumentCollection<AppUser> _users = engine.Collection<AppUser>(CollectionName);

    private readonly IDocumentCollection<EmailClaim> _claims = engine.Collection<EmailClaim>(EmailClaim.CollectionName);

    public async Task<IdentityResult> CreateAsync(AppUser user, CancellationToken cancellationToken)
    {
        await gate.Semaphore.WaitAsync(cancellationToken);
        try
        {
            var normalized = user.NormalizedEmail;
            if (await _users.CountAsync(u => u.NormalizedEmail == normalized, cancellationToken) > 0)
            {
                return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(user.Email));
            }

            if (user.CreatedAtUtc == default)
            {
                user.CreatedAtUtc = clock.GetUtcNow().UtcDateTime;
            }

            var claim = new EmailClaim { Id = EmailClaim.IdFor(normalized), UserId = user.Id };
            try
            {
                await _claims.InsertAsync(claim, cancellationToken);
            }
            catch (Domain.Common.ConflictException)
            {
                return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(user.Email));
            }

            try
            {
                await _users.InsertAsync(user, cancellationToken);
            }
            catch (Domain.Common.ConflictException)
            {
                await _claims.DeleteAsync(claim.Id, CancellationToken.None);
                return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(user.Email));
            }

            return IdentityResult.Success;
        }
        finally
        {
            gate.Semaphore.Release();
        }
    }

    public async Task<IdentityResult> UpdateAsync(AppUser user, CancellationToken cancellationToken) =>
        await _users.ReplaceAsync(user, cancellationToken)
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure());

    public async Task<IdentityResult> DeleteAsync(AppUser user, CancellationToken cancellationToken)
    {
        await _users.DeleteAsync(user.Id, cancellationToken);
        await _claims.DeleteAsync(EmailClaim.IdFor(user.NormalizedEmail), cancellationToken);
        return IdentityResult.Success;
    }

    public Task<AppUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Domain.Common.Ids.IsValid(userId) ? _users.GetAsync(userId, cancellationToken) : Task.FromResult<AppUser?>(null);

    public Task<AppUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindByEmailAsync(normalizedUserName, cancellationToken);

    public async Task<AppUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var found = await _users.FindAsync(u => u.NormalizedEmail == normalizedEmail, new FindOptions<AppUser>(Limit: 1), cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public Task<string> GetUserIdAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult(user.Id);

    public Task<string?> GetUserNameAsync(AppUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task SetUserNameAsync(AppUser user, string? userName, CancellationToken cancellationToken)
    {
        user.Email = userName ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(AppUser user, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedUserNameAsync(AppUser user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedName ?? "";
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        // nothing to release: the engine is a singleton owned by the container
    }
}

/// <summary>"This normalised e-mail address is taken": one document per address, keyed by a hash of it.</summary>
internal sealed class EmailClaim : Domain.Common.Entity
{
    internal const string CollectionName = "email_claims";

    public string UserId { get; set; } = "";

    /// <summary>24 hex digits of SHA-256 of the address: an ObjectId-shaped key every engine accepts as _id.</summary>
    public static string IdFor(string normalizedEmail) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(normalizedEmail)))[..24];
}

/// <summary>Serializes user creation within this process so check-then-insert stays unique.</summary>
internal sealed class UserWriteGate
{
    public SemaphoreSlim Semaphore { get; } = new(1, 1);
}
