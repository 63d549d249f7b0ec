using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>What a gallery page asks for. Null filters match everything.</summary>
public sealed record ImageQuery(
    string DatasetId,
    string? Label = null,
    bool UnlabelledOnly = false,
    string? Format = null,
    int Skip = 0,
    int Take = 50);

/// <summary>Persistence of <see cref="ImageAsset"/> documents.</summary>
public interface IImageStore
{
    Task<ImageAsset?> GetAsync(string id, CancellationToken ct = default);

    Task<Page<ImageAsset>> QueryAsync(ImageQuery query, CancellationToken ct = default);

    /// <summary>Every image of a dataset, oldest first (analysis, bulk changes, training).</summary>
    Task<IReadOnlyList<ImageAsset>> ListByDatasetAsync(string datasetId, CancellationToken ct = default);

    Task<IReadOnlyList<ImageAsset>> ListByLabelAsync(string datasetId, string label, CancellationToken ct = default);

    Task<long> CountAsync(string datasetId, CancellationToken ct = default);

    /// <summary>Images per label; the key <c>""</c> counts unlabelled images.</summary>
    Task<IReadOnlyDictionary<string, long>> CountByLabelAsync(string datasetId, IEnumerable<string> labels, CancellationToken ct = default);

    Task<ImageAsset?> FindByShaAsync(string datasetId, string sha256, CancellationToken ct = default);

    /// <summary>Bytes of original images the user has stored (the quota figure).</summary>
    Task<long> SumSizeByOwnerAsync(string ownerId, CancellationToken ct = default);

    Task InsertAsync(ImageAsset image, CancellationToken ct = default);

    Task<bool> ReplaceAsync(ImageAsset image, CancellationToken ct = default);

    Task DeleteAsync(string id, CancellationToken ct = default);
}
