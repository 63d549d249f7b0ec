using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Cleanup;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Blobs;

/// <summary>What one sweep found and removed.</summary>
public sealed record BlobSweepReport(int Stored, int Referenced, int Deleted, int KeptTouched, int InterruptedRemoved);

/// <summary>
/// Mark and sweep over content-addressed blobs. A blob is deleted only when (1) it was last
/// written more than the grace period ago, (2) no <see cref="IBlobReferenceSource"/> names it,
/// and (3) the store's compare-and-set delete finds it still untouched since it was listed.
/// Why that cannot lose a blob a reference is being saved for right now: every new reference is
/// saved after a put (or a retain) of its blob, and a put refreshes the "last written" time. If
/// the put came before the listing, the blob is too fresh to be a candidate; if it came after,
/// the compare-and-set in (3) sees the changed time, or the put found the blob already set aside
/// and wrote its own copy. References saved before the reference scan are seen by (2).
/// </summary>
public sealed class BlobSweeper(
    ISweepableBlobStore blobs,
    IEnumerable<IBlobReferenceSource> sources,
    IOptions<BlobSweepOptions> options,
    TimeProvider clock,
    ILogger<BlobSweeper> logger)
{
    /// <summary>Temporary files older than this are left over from a crash.</summary>
    public static readonly TimeSpan InterruptedAfter = TimeSpan.FromDays(1);

    public async Task<BlobSweepReport> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var interrupted = await blobs.RemoveInterruptedAsync(now - InterruptedAfter, ct);
        var cutoff = now - TimeSpan.FromMinutes(options.Value.BlobGraceMinutes);
        var stored = 0;
        var candidates = new List<StoredBlob>();
        await foreach (var blob in blobs.ListAsync(ct))
        {
            stored++;
            if (blob.LastWrittenUtc < cutoff)
            {
                candidates.Add(blob);
            }
        }

        if (candidates.Count == 0)
        {
            return new BlobSweepReport(stored, 0, 0, 0, interrupted);
        }

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            await source.AddReferencesAsync(referenced, ct);
        }

        int deleted = 0, kept = 0;
        foreach (var blob in candidates.Where(b => !referenced.Contains(b.Sha256)))
        {
            if (await blobs.TryDeleteUntouchedAsync(blob, ct))
            {
                deleted++;
            }
            else
            {
                kept++;
            }
        }

        if (deleted > 0)
        {
            logger.LogInformation("Blob sweep: {Deleted} unreferenced blobs deleted of {Stored} stored", deleted, stored);
        }

        return new BlobSweepReport(stored, referenced.Count, deleted, kept, interrupted);
    }
}
