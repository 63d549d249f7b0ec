using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Predictions;

namespace DiyMl.Domain.Quotas;

/// <summary>Bytes set aside for one write; settle or release it exactly once.</summary>
public sealed record QuotaReservation(string UserId, long Bytes);

/// <summary>
/// Quota by reservation. Before a write, its bytes are reserved on the user's usage record by
/// compare-and-set, so however many uploads run at once (on one instance or many, LiteDB or Mongo)
/// their sum can never pass the quota; after the write the reservation is settled: an image
/// document now counts itself, a prediction job's uploads become a hold while the job exists.
/// The used figure read for a reservation is stored images (and kept prediction pictures) + reserved + held. The record is read
/// before the images are summed: a settle that lands in between changes the record's version, so
/// the compare-and-set fails and the reservation is judged again; otherwise the sum already sees
/// the settled image. Either way nothing is counted too little (at worst briefly twice).
/// </summary>
public sealed class QuotaService(IStorageUsageStore usage, IImageStore images, IKeptPredictionStore kept, IJobStore jobs, DatasetOptions options)
{
    private const int MaxAttempts = 64;

    public long QuotaBytes => options.QuotaBytesPerUser;

    /// <summary>What counts against the quota now: stored images, uploads in flight and held uploads.</summary>
    public async Task<long> UsedAsync(string userId, CancellationToken ct = default)
    {
        var record = await usage.GetAsync(userId, ct) ?? new StorageUsage { Id = userId };
        await DropFinishedHoldsAsync(record, ct); // only read here; the next reservation stores it
        return await StoredAsync(userId, ct) + record.ReservedBytes + record.HeldBytes;
    }

    /// <summary>Reserves <paramref name="bytes"/>; null when they do not fit in what is left of the quota.</summary>
    public async Task<QuotaReservation?> TryReserveAsync(string userId, long bytes, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var record = await LoadAsync(userId, ct);
            await DropFinishedHoldsAsync(record, ct);
            var used = await StoredAsync(userId, ct) + record.ReservedBytes + record.HeldBytes;
            if (used + bytes > options.QuotaBytesPerUser)
            {
                return null;
            }

            record.ReservedBytes += bytes;
            if (await usage.TryReplaceAsync(record, ct))
            {
                return new QuotaReservation(userId, bytes);
            }
        }

        throw new InvalidOperationException($"The usage record of user {userId} kept changing; the reservation was not made.");
    }

    /// <summary>The write failed or stored less: gives the reserved bytes back.</summary>
    public Task ReleaseAsync(QuotaReservation reservation) => ChangeAsync(reservation.UserId, r => r.ReservedBytes -= reservation.Bytes);

    /// <summary>The write is done and counts itself (an image document): the reservation ends.</summary>
    public Task SettleAsync(QuotaReservation reservation) => ReleaseAsync(reservation);

    /// <summary>The write is done and its bytes stay counted while <paramref name="key"/> (a job id) exists.</summary>
    public Task SettleAsHoldAsync(QuotaReservation reservation, string key) => ChangeAsync(reservation.UserId, r =>
    {
        r.ReservedBytes -= reservation.Bytes;
        r.Holds.Add(new UsageHold { Key = key, Bytes = reservation.Bytes });
    });

    // Releases run after the write, whatever the request's token says: a reservation must never leak.
    private async Task ChangeAsync(string userId, Action<StorageUsage> change)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var record = await LoadAsync(userId, CancellationToken.None);
            change(record);
            record.ReservedBytes = Math.Max(0, record.ReservedBytes);
            if (await usage.TryReplaceAsync(record, CancellationToken.None))
            {
                return;
            }
        }

        throw new InvalidOperationException($"The usage record of user {userId} kept changing; it was not updated.");
    }

    /// <summary>What the user keeps: pictures in datasets and pictures a model keeps for its prediction log.</summary>
    private async Task<long> StoredAsync(string userId, CancellationToken ct) =>
        await images.SumSizeByOwnerAsync(userId, ct) + await kept.SumBytesByOwnerAsync(userId, ct);

    private async Task<StorageUsage> LoadAsync(string userId, CancellationToken ct)
    {
        if (await usage.GetAsync(userId, ct) is { } existing)
        {
            return existing;
        }

        await usage.TryInsertAsync(new StorageUsage { Id = userId }, ct);
        return await usage.GetAsync(userId, ct) ?? throw new InvalidOperationException($"The usage record of user {userId} could not be created.");
    }

    // A hold lasts while its job's uploads exist: a succeeded prediction job releases them as it
    // finishes; a failed or cancelled one keeps them until retention removes the job.
    private async Task DropFinishedHoldsAsync(StorageUsage record, CancellationToken ct)
    {
        var gone = new List<UsageHold>();
        foreach (var hold in record.Holds)
        {
            if (await jobs.GetAsync(hold.Key, ct) is not { Status: not JobStatus.Succeeded })
            {
                gone.Add(hold);
            }
        }

        record.Holds.RemoveAll(gone.Contains);
    }
}
