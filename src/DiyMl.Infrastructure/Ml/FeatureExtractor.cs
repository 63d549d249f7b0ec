using DiyMl.Domain.Common;
using DiyMl.Domain.Training;

namespace DiyMl.Infrastructure.Ml;

/// <summary>One image to featurize, optionally mirrored.</summary>
internal sealed record FeatureRequest(LabelledImage Image, bool Flip);

/// <summary>
/// Featurizes training images in chunks: the token is checked and progress reported between
/// chunks (ML.NET's own cursor hands rows over in large batches, useless for either).
/// ResNet features go through the cache; pixels are cheap enough to recompute.
/// </summary>
internal sealed class FeatureExtractor(IBlobStore blobs, Lazy<ResNetFeaturizer> resnet, FeatureCache cache)
{
    public const int ChunkSize = 16;
    private const long MaxImageBytes = 64L * 1024 * 1024;

    public async Task<(float[][] Features, int CacheHits)> ExtractAsync(
        IReadOnlyList<FeatureRequest> requests, FeatureSpec spec, IProgress<TrainingProgressUpdate> progress, CancellationToken ct)
    {
        var features = new float[requests.Count][];
        var hits = 0;
        var done = 0;
        progress.Report(new TrainingProgressUpdate("Featurizing", 0, requests.Count));
        for (var start = 0; start < requests.Count; start += ChunkSize)
        {
            ct.ThrowIfCancellationRequested();
            var end = Math.Min(requests.Count, start + ChunkSize);
            for (var i = start; i < end; i++)
            {
                var (image, flip) = (requests[i].Image, requests[i].Flip);
                if (spec.Transfer)
                {
                    var cached = await cache.GetAsync(image.Sha256, ResNetFeaturizer.Version, flip, ct);
                    if (cached is { Length: ResNetFeaturizer.FeatureCount })
                    {
                        features[i] = cached;
                        hits++;
                        continue;
                    }
                }

                var bytes = await ReadAsync(blobs, image, ct);
                features[i] = Featurize(bytes, spec, flip, Describe(image));
                if (spec.Transfer)
                {
                    await cache.PutAsync(image.Sha256, ResNetFeaturizer.Version, flip, features[i], ct);
                }
            }

            done = end;
            progress.Report(new TrainingProgressUpdate("Featurizing", done, requests.Count));
        }

        return (features, hits);
    }

    public float[] Featurize(ReadOnlySpan<byte> bytes, FeatureSpec spec, bool flip, string imageName) =>
        spec.Transfer
            ? resnet.Value.Featurize(bytes, flip, imageName)
            : PixelFeatures.Compute(bytes, spec.PixelSize, spec.Colour, flip, imageName);

    private static string Describe(LabelledImage image) => $"{image.ImageId} (class '{image.Label}')";

    private static async Task<byte[]> ReadAsync(IBlobStore blobs, LabelledImage image, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(image.Sha256, ct)
            ?? throw new ImageDecodeException($"Image '{Describe(image)}' is missing from storage.");
        if (stream.CanSeek && stream.Length > MaxImageBytes)
        {
            throw new ImageDecodeException($"Image '{Describe(image)}' is larger than {MaxImageBytes / (1024 * 1024)} MB.");
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
