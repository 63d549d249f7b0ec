using SkiaSharp;

namespace DiyMl.IngestBench;

/// <summary>Photo-like 1024×768 JPEGs: gradients, shapes and noise, so they compress like real photos (~150–300 KB).</summary>
internal static class Photos
{
    public static byte[] Jpeg(int seed, int width = 1024, int height = 768)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { IsAntialias = true })
        {
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height),
                [RandomColor(random), RandomColor(random)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, paint);
            paint.Shader = null;
            for (var i = 0; i < 40; i++)
            {
                paint.Color = RandomColor(random).WithAlpha((byte)random.Next(80, 255));
                canvas.DrawCircle(random.Next(width), random.Next(height), random.Next(10, 200), paint);
            }
        }

        var pixels = bitmap.GetPixelSpan().ToArray();
        for (var i = 0; i < pixels.Length; i += 4)
        {
            var n = random.Next(-12, 13);
            for (var c = 0; c < 3; c++)
            {
                pixels[i + c] = (byte)Math.Clamp(pixels[i + c] + n, 0, 255);
            }
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }

    private static SKColor RandomColor(Random random) => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
}
