using System.ComponentModel.DataAnnotations;

namespace DiyMl.Domain.Datasets;

/// <summary>Limits of the dataset feature, bound from the <c>Datasets</c> section and validated at start-up.</summary>
public sealed class DatasetOptions
{
    public const string Section = "Datasets";

    /// <summary>Largest single image file accepted.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Largest image by pixel count, checked from the header before decoding.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Most entries read from one zip archive.</summary>
    [Range(1, int.MaxValue)]
    public int MaxZipEntries { get; set; } = 10_000;

    /// <summary>Most bytes unpacked from one zip archive, counted while reading (a zip bomb stops here).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxZipUncompressedBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Largest HTTP request body accepted by the upload endpoint.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Largest body of a direct prediction request (up to 100 images answered while the caller waits; kept in memory).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxPredictionRequestBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Bytes of original images one user may store across all datasets.</summary>
    [Range(1024, long.MaxValue)]
    public long QuotaBytesPerUser { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Longest side of the thumbnails made at upload.</summary>
    [Range(32, 1024)]
    public int ThumbnailSide { get; set; } = 256;

    /// <summary>Two images whose dHashes differ in at most this many bits are near-duplicates.</summary>
    [Range(0, 32)]
    public int NearDuplicateThreshold { get; set; } = 5;

    /// <summary>Where zip uploads are spooled while read; empty means the system temp directory.</summary>
    public string TempDirectory { get; set; } = "";
}
