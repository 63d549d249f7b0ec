using DiyMl.Infrastructure.Imaging;
using SkiaSharp;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Decoding and resizing with SkiaSharp, the way ML.NET's ResizeImages does by default
/// (scale the shorter side to the target and crop the centre, high-quality filter), so our
/// features match the ones ML.NET's own pipeline computes - except that a picture stored
/// sideways with an EXIF orientation is turned upright first, as the person sees it.
/// </summary>
internal static class ImagePixels
{
    // A decoded 40-megapixel image is 160 MB; anything larger is refused rather than risking memory.
    private const long MaxPixels = 40_000_000;

    /// <summary>Decodes and resizes to an RGBA (unpremultiplied) square bitmap of <paramref name="size"/> pixels.</summary>
    public static SKBitmap DecodeSquare(ReadOnlySpan<byte> bytes, int size, string imageName)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data) ?? throw new ImageDecodeException($"Image '{imageName}' is not a readable image (supported: JPEG, PNG, WebP, BMP, GIF).");
        var full = codec.Info;
        if (full.Width <= 0 || full.Height <= 0)
        {
            throw new ImageDecodeException($"Image '{imageName}' has unusable dimensions {full.Width}x{full.Height}.");
        }

        // JPEG can decode at 1/2, 1/4, 1/8 scale almost for free; pick the smallest scale that
        // still leaves at least twice the target on the short side so quality is unchanged.
        var shortSide = Math.Min(full.Width, full.Height);
        var scale = 1f;
        foreach (var candidate in new[] { 0.125f, 0.25f, 0.5f })
        {
            if (shortSide * candidate >= size * 2)
            {
                scale = candidate;
                break;
            }
        }

        var dims = scale < 1f ? codec.GetScaledDimensions(scale) : full.Size;
        if ((long)dims.Width * dims.Height > MaxPixels)
        {
            throw new ImageDecodeException($"Image '{imageName}' is too large to process ({full.Width}x{full.Height}; at most {MaxPixels / 1_000_000} megapixels).");
        }

        var info = new SKImageInfo(dims.Width, dims.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var stored = new SKBitmap(info);
        var result = codec.GetPixels(info, stored.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            throw new ImageDecodeException($"Image '{imageName}' could not be decoded ({result}).");
        }

        var decoded = Orientation.Upright(stored, codec.EncodedOrigin);
        using var rotated = decoded == stored ? null : decoded;

        var side = Math.Min(decoded.Width, decoded.Height);
        var crop = SKRectI.Create((decoded.Width - side) / 2, (decoded.Height - side) / 2, side, side);
        using var square = new SKBitmap();
        if (!decoded.ExtractSubset(square, crop))
        {
            throw new ImageDecodeException($"Image '{imageName}' could not be cropped.");
        }

        var target = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!square.ScalePixels(target, SKFilterQuality.High))
        {
            target.Dispose();
            throw new ImageDecodeException($"Image '{imageName}' could not be resized.");
        }

        return target;
    }
}
