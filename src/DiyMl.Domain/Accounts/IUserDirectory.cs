using DiyMl.Domain.Common;

namespace DiyMl.Domain.Accounts;

/// <summary>Read side of the user list, for administrators.</summary>
public interface IUserDirectory
{
    Task<Page<AppUser>> ListAsync(int skip, int take, CancellationToken ct = default);

    Task<long> CountAsync(CancellationToken ct = default);

    Task<AppUser?> GetAsync(string id, CancellationToken ct = default);
}

/// <summary>Counts an administrator may see; never anyone's data.</summary>
public sealed record UserCounts(long Users, long Admins, long LockedOut);
