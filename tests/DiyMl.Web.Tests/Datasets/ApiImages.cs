using System.IO.Compression;
using System.Net.Http.Headers;
using SkiaSharp;

namespace DiyMl.Web.Tests.Datasets;

/// <summary>Image files and multipart bodies for the API tests.</summary>
internal static class ApiImages
{
    public static byte[] Png(int width = 40, int height = 30, int seed = 0)
    {
        using var bitmap = new SKBitmap(width, height);
        var random = new Random(seed);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint())
        {
            canvas.Clear(SKColors.White);
            for (var i = 0; i < 8; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                canvas.DrawRect(random.Next(width), random.Next(height), 1 + random.Next(width / 2), 1 + random.Next(height / 2), paint);
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    /// <summary>Random pixels: a PNG that does not compress, for size and quota limits.</summary>
    public static byte[] Noise(int side)
    {
        using var bitmap = new SKBitmap(side, side);
        var random = new Random(1);
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }

    public static MultipartFormDataContent Form(string? label, params (string Name, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        if (label is not null)
        {
            form.Add(new StringContent(label), "label");
        }

        foreach (var (name, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/png"); // deliberately not trusted
            form.Add(part, "files", name);
        }

        return form;
    }
}
