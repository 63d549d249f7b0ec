using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Blobs;

namespace DiyMl.Infrastructure.Cleanup;

/// <summary>What one clean-up pass did.</summary>
public sealed record CleanupReport(int OperationsResumed, RetentionReport Retention, BlobSweepReport Blobs, int TempFilesRemoved);

/// <summary>
/// One clean-up pass, in the order that frees the most: finish interrupted edits (they may delete
/// images), drop expired jobs and stale cache entries, then sweep blobs and temp files.
/// </summary>
public sealed class Cleanup(OperationLog operations, Retention retention, BlobSweeper blobs, TempFileSweeper temp, TimeProvider clock)
{
    /// <summary>
    /// Operations younger than this may still be running on another instance; at start-up every
    /// operation is resumed, because on one machine nothing else can be running them.
    /// </summary>
    public static readonly TimeSpan OthersCrashedAfter = TimeSpan.FromMinutes(10);

    public async Task<CleanupReport> RunAsync(bool atStartup, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var resumed = await operations.ResumeAsync(atStartup ? now.AddSeconds(1) : now - OthersCrashedAfter, ct);
        var kept = await retention.RunAsync(ct);
        var swept = await blobs.SweepAsync(ct);
        return new CleanupReport(resumed, kept, swept, temp.Sweep());
    }
}
