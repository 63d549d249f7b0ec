using System.ComponentModel.DataAnnotations;

namespace DiyMl.Infrastructure.Cleanup;

/// <summary>Bound from the <c>Storage</c> section: how blobs nobody uses any more are reclaimed.</summary>
public sealed class BlobSweepOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// How long a blob must have had no reference, and no write, before the sweeper deletes it.
    /// Every save of a reference follows its put well within this time.
    /// </summary>
    [Range(1, 60 * 24 * 365)]
    public double BlobGraceMinutes { get; set; } = 60;

    /// <summary>How often the clean-up (retention, blob and temp-file sweep) runs after the one at start-up.</summary>
    [Range(0.1, 60 * 24 * 7)]
    public double SweepMinutes { get; set; } = 60;
}

/// <summary>Bound from the <c>Jobs</c> section: how long finished jobs and their result files are kept.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Jobs";

    [Range(0.001, 36500)]
    public double RetentionDays { get; set; } = 30;
}
