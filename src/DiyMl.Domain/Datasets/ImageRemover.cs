using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// Deletes image documents, then the blobs (content and thumbnail) that no remaining image in
/// any dataset uses. Blobs are shared by content, so a blob is only removed when its last user goes.
/// </summary>
public sealed class ImageRemover(IImageStore images, IBlobStore blobs)
{
    public async Task RemoveAsync(IEnumerable<ImageAsset> doomed, CancellationToken ct)
    {
        var shas = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in doomed)
        {
            await images.DeleteAsync(image.Id, ct);
            shas.Add(image.Sha256);
            if (image.ThumbnailSha256 is { } thumb)
            {
                shas.Add(thumb);
            }
        }

        await CollectAsync(shas, ct);
    }

    /// <summary>Deletes each blob nothing refers to any more.</summary>
    public async Task CollectAsync(IEnumerable<string> shas, CancellationToken ct)
    {
        foreach (var sha in shas)
        {
            if (await images.CountBlobReferencesAsync(sha, ct) == 0)
            {
                await blobs.DeleteAsync(sha, ct);
            }
        }
    }
}
