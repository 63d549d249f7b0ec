using DiyMl.Domain.Quotas;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// An upload's share of the quota. Reserving per image would sum the user's images once per file
/// (thousands of times for one zip), so bytes are reserved in chunks and handed out from that
/// credit; each stored (or failed) image gives its bytes back to the usage record, and closing
/// the session returns the unused credit. Concurrent uploads still never pass the quota: every
/// chunk is reserved by compare-and-set.
/// </summary>
internal sealed class SessionQuota(QuotaService quota, string userId) : IAsyncDisposable
{
    private const long Chunk = 8L * 1024 * 1024;
    private long _credit;

    /// <summary>Takes <paramref name="bytes"/> for one image about to be stored; false when the quota cannot hold it.</summary>
    public async Task<bool> TryTakeAsync(long bytes, CancellationToken ct)
    {
        if (_credit < bytes)
        {
            var missing = bytes - _credit;
            var reserved = await quota.TryReserveAsync(userId, Math.Max(missing, Chunk), ct)
                ?? (missing < Chunk ? await quota.TryReserveAsync(userId, missing, ct) : null);
            if (reserved is null)
            {
                return false;
            }

            _credit += reserved.Bytes;
        }

        _credit -= bytes;
        return true;
    }

    /// <summary>An image taken with <see cref="TryTakeAsync"/> is stored (it counts itself now) or failed.</summary>
    public Task ReturnAsync(long bytes) => quota.ReleaseAsync(new QuotaReservation(userId, bytes));

    public async ValueTask DisposeAsync()
    {
        var credit = Interlocked.Exchange(ref _credit, 0);
        if (credit > 0)
        {
            await quota.ReleaseAsync(new QuotaReservation(userId, credit));
        }
    }
}
