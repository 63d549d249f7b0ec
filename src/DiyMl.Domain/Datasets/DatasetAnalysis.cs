namespace DiyMl.Domain.Datasets;

/// <summary>One bar of a histogram: a human label ("64–127 px") and how many images fall in it.</summary>
public sealed record Bucket(string Label, long Count);

public sealed record FormatCount(string Format, long Count);

/// <summary>A near-duplicate pair with what a person needs to judge it.</summary>
public sealed record NearDuplicateInfo(
    string FirstImageId,
    string SecondImageId,
    int Distance,
    string? FirstLabel,
    string? SecondLabel,
    bool DifferentClasses);

/// <summary>Everything the analysis page shows, computed once per dataset revision.</summary>
public sealed record DatasetAnalysis(
    string DatasetId,
    long Revision,
    int ImageCount,
    int UnlabelledCount,
    IReadOnlyList<ClassCount> Classes,
    IReadOnlyList<Bucket> Widths,
    IReadOnlyList<Bucket> Heights,
    IReadOnlyList<Bucket> AspectRatios,
    IReadOnlyList<Bucket> FileSizes,
    IReadOnlyList<FormatCount> Formats,
    int MinWidth,
    int MaxWidth,
    int MinHeight,
    int MaxHeight,
    long TotalBytes,
    long ExactDuplicatesSkipped,
    int NearDuplicateCount,
    int NearDuplicatesAcrossClasses,
    IReadOnlyList<NearDuplicateInfo> NearDuplicates,
    IReadOnlyList<string> Warnings);
