namespace DiyMl.Domain.Datasets;

public static class IngestStatus
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
}

/// <summary>What happened to one uploaded file (or one zip entry, or the archive itself).</summary>
public sealed record IngestFileResult(
    string FileName,
    string Status,
    string? ImageId = null,
    int? Width = null,
    int? Height = null,
    string? Format = null,
    string? Label = null,
    string? Reason = null);

/// <summary>The answer to an upload: every file with its outcome, and the totals.</summary>
public sealed record IngestReport(
    int Accepted,
    int Duplicates,
    int Rejected,
    bool QuotaExceeded,
    IReadOnlyList<IngestFileResult> Files);

internal static class Sizes
{
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.#} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.#} KB",
        _ => $"{bytes} bytes",
    };
}
