using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>Which images a gallery shows. <see cref="DuplicatesOnly"/> means near-duplicates found by the analysis.</summary>
public sealed record GalleryFilter(string? Label = null, bool UnlabelledOnly = false, string? Format = null, bool DuplicatesOnly = false);

/// <summary>An image's bytes ready to serve; the caller disposes the stream.</summary>
public sealed record ImageContent(Stream Content, string ContentType, string Sha256);

/// <summary>Browse, open, relabel, move and delete the images of one dataset.</summary>
public sealed class GalleryService(
    IImageStore images,
    IBlobStore blobs,
    ImageRemover remover,
    DatasetMutations mutations,
    DatasetAnalysisService analysis)
{
    public const int MaxPageSize = 500;

    public async Task<Page<ImageAsset>> ListAsync(string userId, string datasetId, GalleryFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        var dataset = await mutations.LoadOwnedAsync(userId, datasetId, ct);
        if (page < 1)
        {
            throw new DomainValidationException("page", "Pages are numbered from 1.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new DomainValidationException("pageSize", $"A page holds between 1 and {MaxPageSize} images.");
        }

        var format = filter.Format is null ? null
            : ImageFormats.All.FirstOrDefault(f => string.Equals(f, filter.Format, StringComparison.OrdinalIgnoreCase))
              ?? throw new DomainValidationException("format", $"Format must be one of {string.Join(", ", ImageFormats.All)}.");
        var label = filter.Label is null ? null : ClassNames.FindExisting(dataset.Classes, filter.Label.Trim()) ?? filter.Label.Trim();
        var skip = (page - 1) * pageSize;

        if (!filter.DuplicatesOnly)
        {
            return await images.QueryAsync(new ImageQuery(dataset.Id, label, filter.UnlabelledOnly, format, skip, pageSize), ct);
        }

        var pairs = await analysis.FindNearDuplicatePairsAsync(userId, datasetId, ct: ct);
        var ids = pairs.SelectMany(p => new[] { p.FirstImageId, p.SecondImageId }).ToHashSet(StringComparer.Ordinal);
        var matching = (await images.ListByDatasetAsync(dataset.Id, ct))
            .Where(i => ids.Contains(i.Id)
                && (label is null || i.Label == label)
                && (!filter.UnlabelledOnly || i.Label is null)
                && (format is null || i.Format == format))
            .ToList();
        return new Page<ImageAsset>(matching.Skip(skip).Take(pageSize).ToList(), matching.Count);
    }

    public async Task<ImageAsset> GetAsync(string userId, string datasetId, string imageId, CancellationToken ct = default)
    {
        var dataset = await mutations.LoadOwnedAsync(userId, datasetId, ct);
        var image = Ids.IsValid(imageId) ? await images.GetAsync(imageId, ct) : null;
        if (image is null || image.DatasetId != dataset.Id)
        {
            throw new NotFoundException("Image", imageId);
        }

        return image.EnsureOwnedBy(userId, "Image", imageId);
    }

    public async Task<ImageContent> OpenContentAsync(string userId, string datasetId, string imageId, CancellationToken ct = default)
    {
        var image = await GetAsync(userId, datasetId, imageId, ct);
        var stream = await blobs.OpenReadAsync(image.Sha256, ct) ?? throw new NotFoundException("Image content", imageId);
        return new ImageContent(stream, ImageFormats.ContentType(image.Format), image.Sha256);
    }

    public async Task<ImageContent> OpenThumbnailAsync(string userId, string datasetId, string imageId, CancellationToken ct = default)
    {
        var image = await GetAsync(userId, datasetId, imageId, ct);
        if (image.ThumbnailSha256 is not { } sha || await blobs.OpenReadAsync(sha, ct) is not { } stream)
        {
            throw new NotFoundException("Thumbnail", imageId);
        }

        return new ImageContent(stream, "image/jpeg", sha);
    }

    /// <summary>Labels (or, with null, unlabels) the images; a new class name is added to the dataset.</summary>
    public async Task<int> SetLabelAsync(string userId, string datasetId, IReadOnlyCollection<string> imageIds, string? label, CancellationToken ct = default)
    {
        var resolved = string.IsNullOrWhiteSpace(label) ? null : await mutations.EnsureClassAsync(userId, datasetId, label, ct);
        var changed = 0;
        foreach (var image in await ResolveAsync(userId, datasetId, imageIds, ct))
        {
            if (await ImageRelabel.SetLabelAsync(images, image, resolved, ct))
            {
                changed++;
            }
        }

        await mutations.UpdateAsync(userId, datasetId, _ => { }, ct);
        return changed;
    }

    /// <summary>Moves images to an existing class (unlike relabel, never creates one).</summary>
    public async Task<int> MoveAsync(string userId, string datasetId, IReadOnlyCollection<string> imageIds, string? targetClass, CancellationToken ct = default)
    {
        var dataset = await mutations.LoadOwnedAsync(userId, datasetId, ct);
        var target = ClassNames.FindExisting(dataset.Classes, targetClass?.Trim() ?? "")
            ?? throw new DomainValidationException("label", $"There is no class called '{targetClass}' in this dataset.");
        return await SetLabelAsync(userId, datasetId, imageIds, target, ct);
    }

    public async Task<int> DeleteAsync(string userId, string datasetId, IReadOnlyCollection<string> imageIds, CancellationToken ct = default)
    {
        var doomed = await ResolveAsync(userId, datasetId, imageIds, ct);
        await remover.RemoveAsync(doomed, ct);
        await mutations.UpdateAsync(userId, datasetId, _ => { }, ct);
        return doomed.Count;
    }

    // All ids are checked before anything changes, so a bad id in a bulk request changes nothing.
    private async Task<IReadOnlyList<ImageAsset>> ResolveAsync(string userId, string datasetId, IReadOnlyCollection<string> imageIds, CancellationToken ct)
    {
        if (imageIds.Count == 0)
        {
            throw new DomainValidationException("imageIds", "Choose at least one image.");
        }

        var found = new List<ImageAsset>(imageIds.Count);
        foreach (var id in imageIds.Distinct(StringComparer.Ordinal))
        {
            found.Add(await GetAsync(userId, datasetId, id, ct));
        }

        return found;
    }
}
