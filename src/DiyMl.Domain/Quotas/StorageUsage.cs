using DiyMl.Domain.Common;

namespace DiyMl.Domain.Quotas;

/// <summary>
/// One user's storage figures beyond the images they keep (which are summed from the image
/// documents): bytes reserved by uploads in flight, and bytes held by stored uploads that are not
/// images of a dataset (a prediction job's pictures) while what holds them exists. The id is the
/// user's id. Every change is a compare-and-set on <see cref="Entity.Version"/>.
/// </summary>
public sealed class StorageUsage : Entity
{
    public long ReservedBytes { get; set; }

    public List<UsageHold> Holds { get; set; } = [];

    public long HeldBytes => Holds.Sum(h => h.Bytes);
}

/// <summary>Bytes kept for something that is not an image document, e.g. the uploads of prediction job <see cref="Key"/>.</summary>
public sealed class UsageHold
{
    public string Key { get; set; } = "";

    public long Bytes { get; set; }
}

/// <summary>Persistence of <see cref="StorageUsage"/>: read, create once, replace by compare-and-set.</summary>
public interface IStorageUsageStore
{
    Task<StorageUsage?> GetAsync(string userId, CancellationToken ct = default);

    /// <summary>False when a record for this user exists already (someone else created it first).</summary>
    Task<bool> TryInsertAsync(StorageUsage usage, CancellationToken ct = default);

    /// <summary>Compare-and-set on the version: false when someone else changed it first.</summary>
    Task<bool> TryReplaceAsync(StorageUsage usage, CancellationToken ct = default);
}
