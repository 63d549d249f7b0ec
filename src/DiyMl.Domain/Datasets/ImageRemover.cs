namespace DiyMl.Domain.Datasets;

/// <summary>
/// Deletes image documents. Their blobs (content and thumbnail) are not touched here: the same
/// bytes may belong to another image, a queued prediction job, or an upload saving its record
/// right now. The blob sweeper removes a blob once nothing has referred to it for the grace period.
/// </summary>
public sealed class ImageRemover(IImageStore images)
{
    public async Task RemoveAsync(IEnumerable<ImageAsset> doomed, CancellationToken ct)
    {
        foreach (var image in doomed)
        {
            await images.DeleteAsync(image.Id, ct);
        }
    }
}
