using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace DiyMl.IngestBench;

/// <summary>Reads Debian's Fashion-MNIST IDX files and packs images as PNGs into a zip, one folder per class.</summary>
internal static class FashionMnist
{
    private static readonly string[] ClassNames =
        ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"];

    /// <summary>Pictures <paramref name="skip"/> .. skip + count - 1 of the official test file.</summary>
    public static byte[] BuildZip(string directory, int count, int skip = 0)
    {
        var pixels = ReadIdx(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"), out var dims);
        var labels = ReadIdx(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"), out _);
        var (rows, cols) = (dims[1], dims[2]);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = skip; i < skip + count; i++)
            {
                using var bitmap = new SKBitmap(new SKImageInfo(cols, rows, SKColorType.Gray8, SKAlphaType.Opaque));
                for (var r = 0; r < rows; r++)
                {
                    System.Runtime.InteropServices.Marshal.Copy(pixels, (i * rows * cols) + (r * cols), bitmap.GetPixels() + (r * bitmap.RowBytes), cols);
                }

                using var image = SKImage.FromBitmap(bitmap);
                using var png = image.Encode(SKEncodedImageFormat.Png, 100);
                var entry = zip.CreateEntry($"fashion/{ClassNames[labels[i]]}/{i:D5}.png", CompressionLevel.Fastest);
                using var stream = entry.Open();
                png.SaveTo(stream);
            }
        }

        return output.ToArray();
    }

    private static byte[] ReadIdx(string path, out int[] dims)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var all = new MemoryStream();
        gz.CopyTo(all);
        var bytes = all.ToArray();
        var rank = bytes[3];
        dims = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + (4 * d)));
        }

        return bytes[(4 + (4 * rank))..];
    }
}
