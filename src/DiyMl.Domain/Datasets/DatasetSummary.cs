namespace DiyMl.Domain.Datasets;

public sealed record ClassCount(string Name, long Count);

/// <summary>A dataset with the counts a list or a gallery header shows.</summary>
public sealed record DatasetSummary(
    Dataset Dataset,
    long ImageCount,
    long UnlabelledCount,
    IReadOnlyList<ClassCount> Classes);
