using System.IO.Compression;
using SkiaSharp;

namespace DiyMl.Infrastructure.Tests.Ml;

/// <summary>Reads Debian's Fashion-MNIST IDX files and turns images into PNG bytes.</summary>
public static class FashionMnist
{
    public const string Directory = "/usr/share/datasets/fashion-mnist";

    public static readonly string[] ClassNames =
        ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static bool Available => File.Exists(Path.Combine(Directory, "train-images-idx3-ubyte.gz"));

    /// <summary>The first <paramref name="perClass"/> images of each wanted class, skipping <paramref name="skip"/> per class.</summary>
    public static IReadOnlyList<(string Label, byte[] Png)> Load(bool test, IReadOnlyCollection<int> classes, int perClass, int skip = 0)
    {
        var prefix = test ? "t10k" : "train";
        var images = ReadIdx(Path.Combine(Directory, $"{prefix}-images-idx3-ubyte.gz"));
        var labels = ReadIdx(Path.Combine(Directory, $"{prefix}-labels-idx1-ubyte.gz"));
        var count = labels.Length - 8;
        var seen = new Dictionary<int, int>();
        var result = new List<(string, byte[])>();
        for (var i = 0; i < count; i++)
        {
            int label = labels[8 + i];
            if (!classes.Contains(label))
            {
                continue;
            }

            var n = seen.GetValueOrDefault(label);
            seen[label] = n + 1;
            if (n >= skip && n < skip + perClass)
            {
                result.Add((ClassNames[label], ToPng(images.AsSpan(16 + (i * 784), 784))));
            }
        }

        return result;
    }

    public static byte[] ToPng(ReadOnlySpan<byte> pixels)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(pixels.ToArray(), 0, bitmap.GetPixels(), 784);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte[] ReadIdx(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }
}
