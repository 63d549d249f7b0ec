using System.Runtime.InteropServices;
using SkiaSharp;

namespace DiyMl.Infrastructure.Imaging;

/// <summary>
/// Phone cameras store pictures sideways and say so in an EXIF orientation tag; browsers honour
/// it, so a person sees the picture upright. Thumbnails, dimensions and features must see it the
/// same way, or a model learns (and is asked about) sideways pictures.
/// </summary>
internal static class Orientation
{
    /// <summary>Whether the picture is stored a quarter turn round (its upright width is its stored height).</summary>
    public static bool SwapsSides(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>
    /// The picture as it is meant to be seen: <paramref name="decoded"/> itself when already
    /// upright, else a new bitmap of the same 4-byte pixel format (the caller disposes both).
    /// Pixels are moved, not resampled, so nothing is blurred.
    /// </summary>
    public static SKBitmap Upright(SKBitmap decoded, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft || !Enum.IsDefined(origin) || decoded.BytesPerPixel != 4)
        {
            return decoded;
        }

        var (w, h) = (decoded.Width, decoded.Height);
        var (width, height) = SwapsSides(origin) ? (h, w) : (w, h);
        var upright = new SKBitmap(new SKImageInfo(width, height, decoded.ColorType, decoded.AlphaType));
        var source = MemoryMarshal.Cast<byte, int>(decoded.GetPixelSpan());
        var sourceStride = decoded.RowBytes / 4;
        var target = new int[width * height];
        for (var ty = 0; ty < height; ty++)
        {
            for (var tx = 0; tx < width; tx++)
            {
                var (sx, sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - tx, ty),
                    SKEncodedOrigin.BottomRight => (w - 1 - tx, h - 1 - ty),
                    SKEncodedOrigin.BottomLeft => (tx, h - 1 - ty),
                    SKEncodedOrigin.LeftTop => (ty, tx),
                    SKEncodedOrigin.RightTop => (ty, h - 1 - tx),
                    SKEncodedOrigin.RightBottom => (w - 1 - ty, h - 1 - tx),
                    _ => (w - 1 - ty, tx), // LeftBottom
                };
                target[(ty * width) + tx] = source[(sy * sourceStride) + sx];
            }
        }

        for (var row = 0; row < height; row++)
        {
            Marshal.Copy(target, row * width, upright.GetPixels() + (row * upright.RowBytes), width);
        }

        return upright;
    }
}
