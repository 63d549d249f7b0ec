using SkiaSharp;

namespace DiyMl.Infrastructure.Imaging;

/// <summary>
/// dHash: shrink to 9×8 grey levels and record, for each row, whether each cell is brighter
/// than its right neighbour. Cells are plain area averages of the (small) thumbnail, which keeps
/// the hash steady under resizing and JPEG noise; a different picture flips about half the bits.
/// </summary>
internal static class DifferenceHash
{
    public static long Compute(SKBitmap thumbnail)
    {
        var (width, height) = (thumbnail.Width, thumbnail.Height);
        var cells = new double[8, 9];
        var counts = new int[8, 9];
        var pixels = thumbnail.GetPixelSpan();
        var rowBytes = thumbnail.RowBytes;
        for (var y = 0; y < height; y++)
        {
            var cy = y * 8 / height;
            for (var x = 0; x < width; x++)
            {
                var cx = x * 9 / width;
                var p = (y * rowBytes) + (x * 4); // Rgba8888, composited on white so alpha is opaque
                cells[cy, cx] += (pixels[p] * 0.299) + (pixels[p + 1] * 0.587) + (pixels[p + 2] * 0.114);
                counts[cy, cx]++;
            }
        }

        ulong hash = 0;
        var bit = 0;
        for (var y = 0; y < 8; y++)
        {
            for (var x = 0; x < 8; x++, bit++)
            {
                if (Average(cells, counts, y, x) > Average(cells, counts, y, x + 1))
                {
                    hash |= 1UL << bit;
                }
            }
        }

        return unchecked((long)hash);
    }

    // A tiny image leaves some cells without pixels; they borrow the nearest filled cell to their left.
    private static double Average(double[,] cells, int[,] counts, int y, int x)
    {
        for (var cx = x; cx >= 0; cx--)
        {
            if (counts[y, cx] > 0)
            {
                return cells[y, cx] / counts[y, cx];
            }
        }

        return 0;
    }
}
