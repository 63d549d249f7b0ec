using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace DiyMl.Infrastructure.Tests.Imaging;

/// <summary>Real image files and hostile look-alikes, crafted byte by byte where an encoder would refuse.</summary>
public static class TestImages
{
    public static byte[] Png(int width = 40, int height = 30, SKColor? color = null, int seed = 0) =>
        Encode(width, height, color, seed, SKEncodedImageFormat.Png);

    public static byte[] Jpeg(int width = 40, int height = 30, SKColor? color = null, int seed = 0) =>
        Encode(width, height, color, seed, SKEncodedImageFormat.Jpeg);

    public static byte[] Webp(int width = 40, int height = 30) => Encode(width, height, null, 3, SKEncodedImageFormat.Webp);

    /// <summary>A picture with structure (gradient plus seeded blocks), so hashes differ between seeds.</summary>
    public static SKBitmap Picture(int width, int height, SKColor? color, int seed)
    {
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var random = new Random(seed);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(color ?? SKColors.SkyBlue);
        if (color is null)
        {
            using var gradient = new SKPaint
            {
                Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [SKColors.Navy, SKColors.Orange], SKShaderTileMode.Clamp),
            };
            canvas.DrawRect(0, 0, width, height, gradient);
            using var paint = new SKPaint();
            for (var i = 0; i < 12; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                canvas.DrawRect(random.Next(width), random.Next(height), 1 + random.Next(width / 2 + 1), 1 + random.Next(height / 2 + 1), paint);
            }
        }

        return bitmap;
    }

    /// <summary>Random pixels: compresses badly, so cutting the file loses real picture data.</summary>
    public static byte[] Noise(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var random = new Random(7);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(format, 90).ToArray();
    }

    public static byte[] Truncate(byte[] file, double keep = 0.6) => file[..(int)(file.Length * keep)];

    /// <summary>A valid PNG whose header claims 50,000 × 50,000 pixels (2.5 gigapixels) with almost no data.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        Chunk(output, "IHDR", ihdr);
        using (var zlib = new MemoryStream())
        {
            using (var z = new ZLibStream(zlib, CompressionLevel.Optimal, leaveOpen: true))
            {
                z.Write(new byte[1024]);
            }

            Chunk(output, "IDAT", zlib.ToArray());
        }

        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A 2×2 24-bit BMP written by hand (Skia cannot encode BMP).</summary>
    public static byte[] Bmp()
    {
        const int rowBytes = 8; // 2 pixels × 3 bytes, padded to 4
        var file = new byte[54 + (rowBytes * 2)];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(2), file.Length);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(18), 2);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), 2);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(34), rowBytes * 2);
        file.AsSpan(54).Fill(0x80);
        return file;
    }

    /// <summary>The classic 1×1 transparent GIF89a.</summary>
    public static byte[] Gif() => Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static byte[] Text(string text = "just some notes, not a picture") => System.Text.Encoding.UTF8.GetBytes(text);

    public static byte[] Svg() => Text("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>");

    public static byte[] Html() => Text("<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>");

    /// <summary>A zip built entry by entry; a null content writes a directory entry.</summary>
    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }

    private static byte[] Encode(int width, int height, SKColor? color, int seed, SKEncodedImageFormat format)
    {
        using var bitmap = Picture(width, height, color, seed);
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(format, 90).ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32([.. typeBytes, .. data]));
        output.Write(word);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
