using SkiaSharp;

namespace DiyMl.Infrastructure.Imaging;

/// <summary>
/// dHash: shrink to 9×8 grey levels and record, for each row, whether each pixel is brighter
/// than its right neighbour. Resizing, re-encoding and small colour changes keep most bits;
/// a different picture flips about half of them.
/// </summary>
internal static class DifferenceHash
{
    public static long Compute(SKBitmap bitmap)
    {
        using var small = new SKBitmap(new SKImageInfo(9, 8, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(small))
        using (var paint = new SKPaint { FilterQuality = SKFilterQuality.High })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(bitmap, new SKRect(0, 0, 9, 8), paint);
        }

        ulong hash = 0;
        var bit = 0;
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 8; x++, bit++)
            {
                if (Luma(small.GetPixel(x, y)) > Luma(small.GetPixel(x + 1, y)))
                {
                    hash |= 1UL << bit;
                }
            }
        }

        return unchecked((long)hash);
    }

    private static int Luma(SKColor c) => (c.Red * 299) + (c.Green * 587) + (c.Blue * 114);
}
