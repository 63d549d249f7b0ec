using DiyMl.Infrastructure.Imaging;
using SkiaSharp;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Decoding and resizing with SkiaSharp, the way ML.NET's ResizeImages does by default
/// (scale the shorter side to the target and crop the centre, high-quality filter) for feature
/// space v1, so those features match the ones ML.NET's own pipeline computes - except that a picture stored
/// sideways with an EXIF orientation is turned upright first, as the person sees it.
/// </summary>
internal static class ImagePixels
{
    // A decoded 40-megapixel image is 160 MB; anything larger is refused rather than risking memory.
    private const long MaxPixels = 40_000_000;

    /// <summary>Decodes and resizes to an RGBA (unpremultiplied) square bitmap of <paramref name="size"/> pixels (v1: centre crop).</summary>
    public static SKBitmap DecodeSquare(ReadOnlySpan<byte> bytes, int size, string imageName)
    {
        using var decoded = Decode(bytes, size, imageName, fitLongSide: false);
        var side = Math.Min(decoded.Width, decoded.Height);
        var crop = SKRectI.Create((decoded.Width - side) / 2, (decoded.Height - side) / 2, side, side);
        using var square = new SKBitmap();
        if (!decoded.ExtractSubset(square, crop))
        {
            throw new ImageDecodeException($"Image '{imageName}' could not be cropped.");
        }

        return Scale(square, size, size, imageName);
    }

    /// <summary>
    /// Feature space v2: the whole picture as the person sees it - transparency composited on
    /// white, the longer side scaled to <paramref name="size"/> and centred on a white square -
    /// so a long vehicle or a tall plant is not cut. Opaque RGBA.
    /// </summary>
    public static SKBitmap DecodeLetterbox(ReadOnlySpan<byte> bytes, int size, string imageName)
    {
        using var decoded = Decode(bytes, size, imageName, fitLongSide: true);

        // An opaque picture (every JPEG, PNG without alpha) is decoded premultiplied, which for
        // alpha 255 is the same bytes: drawing it on white would change no pixel, only cost a
        // full-size copy (~0.4 ms for 640x480). Test: Letterbox_of_opaque_pictures_is_unchanged_by_skipping_the_white_copy.
        using var onWhite = decoded.AlphaType == SKAlphaType.Premul ? null : OnWhite(decoded);
        var opaque = onWhite ?? decoded;
        var scale = (double)size / Math.Max(opaque.Width, opaque.Height);
        var width = Math.Clamp((int)Math.Round(opaque.Width * scale), 1, size);
        var height = Math.Clamp((int)Math.Round(opaque.Height * scale), 1, size);
        using var scaled = Scale(opaque, width, height, imageName);
        var target = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(target);
        canvas.Clear(SKColors.White);
        canvas.DrawBitmap(scaled, (size - width) / 2, (size - height) / 2);
        canvas.Flush();
        return target;
    }

    // Every pixel's alpha becomes 255: a.c + (1 - a).255, so resampling never bleeds the colour of
    // invisible pixels (often black) into the picture's edges.
    private static SKBitmap OnWhite(SKBitmap decoded)
    {
        var white = new SKBitmap(new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(white);
        canvas.Clear(SKColors.White);
        canvas.DrawBitmap(decoded, 0, 0);
        canvas.Flush();
        return white;
    }

    private static SKBitmap Scale(SKBitmap source, int width, int height, string imageName)
    {
        var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, source.AlphaType == SKAlphaType.Premul ? SKAlphaType.Premul : SKAlphaType.Unpremul));
        if (!source.ScalePixels(target, SKFilterQuality.High))
        {
            target.Dispose();
            throw new ImageDecodeException($"Image '{imageName}' could not be resized.");
        }

        return target;
    }

    private static SKBitmap Decode(ReadOnlySpan<byte> bytes, int size, string imageName, bool fitLongSide)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data) ?? throw new ImageDecodeException($"Image '{imageName}' is not a readable image (supported: JPEG, PNG, WebP, BMP, GIF).");
        var full = codec.Info;
        if (full.Width <= 0 || full.Height <= 0)
        {
            throw new ImageDecodeException($"Image '{imageName}' has unusable dimensions {full.Width}x{full.Height}.");
        }

        // JPEG can decode at 1/2, 1/4, 1/8 scale almost for free; pick the smallest scale that
        // still leaves at least twice the target on the side that is scaled to it, so quality is unchanged.
        var side = fitLongSide ? Math.Max(full.Width, full.Height) : Math.Min(full.Width, full.Height);
        var scale = 1f;
        foreach (var candidate in new[] { 0.125f, 0.25f, 0.5f })
        {
            if (side * candidate >= size * 2)
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

        var alpha = fitLongSide && full.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Premul : SKAlphaType.Unpremul;
        var info = new SKImageInfo(dims.Width, dims.Height, SKColorType.Rgba8888, alpha);
        var stored = new SKBitmap(info);
        var result = codec.GetPixels(info, stored.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            stored.Dispose();
            throw new ImageDecodeException($"Image '{imageName}' could not be decoded ({result}).");
        }

        var upright = Orientation.Upright(stored, codec.EncodedOrigin);
        if (upright != stored)
        {
            stored.Dispose();
        }

        return upright;
    }
}
