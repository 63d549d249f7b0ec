using DiyMl.Domain.Datasets;

namespace DiyMl.Web.Endpoints;

public sealed record ClassCountDto(string Name, long Count);

public sealed record DatasetDto(
    string Id,
    string Name,
    string Description,
    IReadOnlyList<ClassCountDto> Classes,
    long ImageCount,
    long UnlabelledCount,
    long Revision,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string Purpose)
{
    public static DatasetDto From(DatasetSummary s) => new(
        s.Dataset.Id, s.Dataset.Name, s.Dataset.Description,
        s.Classes.Select(c => new ClassCountDto(c.Name, c.Count)).ToList(),
        s.ImageCount, s.UnlabelledCount, s.Dataset.Revision, s.Dataset.CreatedAt, s.Dataset.UpdatedAt,
        PurposeName(s.Dataset.Purpose));

    /// <summary>"training" or "test": a test set is kept to test models and is not trained on.</summary>
    public static string PurposeName(DatasetPurpose purpose) => purpose == DatasetPurpose.Test ? "test" : "training";
}

public sealed record ImageDto(
    string Id,
    string DatasetId,
    string FileName,
    string? Label,
    int Width,
    int Height,
    string Format,
    long SizeBytes,
    string Sha256,
    DateTime CreatedAt,
    string ContentUrl,
    string ThumbnailUrl)
{
    public static ImageDto From(ImageAsset i) => new(
        i.Id, i.DatasetId, i.FileName, i.Label, i.Width, i.Height, i.Format, i.SizeBytes, i.Sha256, i.CreatedAt,
        $"/api/datasets/{i.DatasetId}/images/{i.Id}/content",
        $"/api/datasets/{i.DatasetId}/images/{i.Id}/thumbnail");
}

public sealed record ListDto<T>(IReadOnlyList<T> Items, long Total);

public sealed record CreateDatasetRequest(string? Name, string? Description);

/// <summary>Purpose "training" turns a test set into a dataset to train on; "test" marks one as a test set.</summary>
public sealed record UpdateDatasetRequest(string? Name, string? Description, string? Purpose = null);

public sealed record ClassNameRequest(string? Name);

public sealed record MergeClassesRequest(IReadOnlyList<string>? Sources, string? Target);

public sealed record BulkImagesRequest(IReadOnlyList<string>? ImageIds, string? Label);

public sealed record BulkResult(int Changed);
