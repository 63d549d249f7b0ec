using System.Linq.Expressions;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Datasets;

/// <summary>
/// <see cref="IImageStore"/> over the storage seam (collection <c>images</c>); also tells the blob
/// sweeper which blobs images use (content and thumbnail).
/// </summary>
internal sealed class ImageStore(IStorageEngine engine) : IImageStore, IBlobReferenceSource
{
    private readonly IDocumentCollection<ImageAsset> _images = engine.Collection<ImageAsset>("images");
    private int _indexed;

    public Task<ImageAsset?> GetAsync(string id, CancellationToken ct = default) => _images.GetAsync(id, ct);

    public async Task<Page<ImageAsset>> QueryAsync(ImageQuery query, CancellationToken ct = default)
    {
        await EnsureIndexesAsync(ct);
        var datasetId = query.DatasetId;
        Expression<Func<ImageAsset, bool>> filter = i => i.DatasetId == datasetId;
        if (query.UnlabelledOnly)
        {
            filter = filter.And(i => i.Label == null);
        }
        else if (query.Label is { } label)
        {
            filter = filter.And(i => i.Label == label);
        }

        if (query.Format is { } format)
        {
            filter = filter.And(i => i.Format == format);
        }

        var total = await _images.CountAsync(filter, ct);
        var items = await _images.FindAsync(filter, new FindOptions<ImageAsset>(i => i.CreatedAt, Skip: query.Skip, Limit: query.Take), ct);
        return new Page<ImageAsset>(items, total);
    }

    public async Task<IReadOnlyList<ImageAsset>> ListByDatasetAsync(string datasetId, CancellationToken ct = default)
    {
        await EnsureIndexesAsync(ct);
        return await _images.FindAsync(i => i.DatasetId == datasetId, new FindOptions<ImageAsset>(i => i.CreatedAt), ct);
    }

    public async Task<IReadOnlyList<ImageAsset>> ListByLabelAsync(string datasetId, string label, CancellationToken ct = default)
    {
        await EnsureIndexesAsync(ct);
        return await _images.FindAsync(i => i.DatasetId == datasetId && i.Label == label, null, ct);
    }

    public async Task<long> CountAsync(string datasetId, CancellationToken ct = default)
    {
        await EnsureIndexesAsync(ct);
        return await _images.CountAsync(i => i.DatasetId == datasetId, ct);
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByLabelAsync(string datasetId, IEnumerable<string> labels, CancellationToken ct = default)
    {
        await EnsureIndexesAsync(ct);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            [""] = await _images.CountAsync(i => i.DatasetId == datasetId && i.Label == null, ct),
        };
        foreach (var label in labels)
        {
            counts[label] = await _images.CountAsync(i => i.DatasetId == datasetId && i.Label == label, ct);
        }

        return counts;
    }

    public async Task<ImageAsset?> FindByShaAsync(string datasetId, string sha256, CancellationToken ct = default)
    {
        await EnsureIndexesAsync(ct);
        // Filter on the hash alone so the engine walks the Sha256 index (a handful of documents);
        // adding DatasetId lets LiteDB pick that index instead and scan the whole dataset per upload.
        var found = await _images.FindAsync(i => i.Sha256 == sha256, null, ct);
        return found.FirstOrDefault(i => i.DatasetId == datasetId);
    }

    public string Name => "images";

    public async Task AddReferencesAsync(ISet<string> referenced, CancellationToken ct)
    {
        foreach (var image in await _images.FindAsync(_ => true, null, ct))
        {
            referenced.Add(image.Sha256);
            if (image.ThumbnailSha256 is { } thumb)
            {
                referenced.Add(thumb);
            }
        }
    }

    public async Task<long> SumSizeByOwnerAsync(string ownerId, CancellationToken ct = default)
    {
        await EnsureIndexesAsync(ct);
        var owned = await _images.FindAsync(i => i.OwnerId == ownerId, null, ct);
        return owned.Sum(i => i.SizeBytes);
    }

    public Task InsertAsync(ImageAsset image, CancellationToken ct = default) => _images.InsertAsync(image, ct);

    public Task<bool> ReplaceAsync(ImageAsset image, CancellationToken ct = default) => _images.ReplaceAsync(image, ct);

    public Task DeleteAsync(string id, CancellationToken ct = default) => _images.DeleteAsync(id, ct);

    private async Task EnsureIndexesAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _indexed, 1) == 0)
        {
            await _images.EnsureIndexAsync(i => i.DatasetId, ct: ct);
            await _images.EnsureIndexAsync(i => i.Sha256, ct: ct);
            await _images.EnsureIndexAsync(i => i.ThumbnailSha256, ct: ct);
            await _images.EnsureIndexAsync(i => i.OwnerId, ct: ct);
        }
    }
}
