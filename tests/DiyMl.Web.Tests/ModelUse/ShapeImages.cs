using SkiaSharp;

namespace DiyMl.Web.Tests.ModelUse;

/// <summary>Small generated pictures two classes apart: red discs and blue squares on a light background, with jitter.</summary>
internal static class ShapeImages
{
    public static byte[] Png(string shape, int seed, int size = 32) => Encode(shape, seed, size, SKEncodedImageFormat.Png);

    public static byte[] Jpeg(string shape, int seed, int size = 224) => Encode(shape, seed, size, SKEncodedImageFormat.Jpeg);

    private static byte[] Encode(string shape, int seed, int size, SKEncodedImageFormat format)
    {
        var random = new Random(seed);
        using var surface = SKSurface.Create(new SKImageInfo(size, size));
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor((byte)random.Next(220, 255), (byte)random.Next(220, 255), (byte)random.Next(220, 255)));
        var scale = size / 32f;
        var centre = new SKPoint((16 + random.Next(-3, 4)) * scale, (16 + random.Next(-3, 4)) * scale);
        var radius = random.Next(7, 11) * scale;
        using var paint = new SKPaint { IsAntialias = true };
        if (shape == "red")
        {
            paint.Color = new SKColor((byte)random.Next(180, 255), (byte)random.Next(0, 60), (byte)random.Next(0, 60));
            canvas.DrawCircle(centre, radius, paint);
        }
        else
        {
            paint.Color = new SKColor((byte)random.Next(0, 60), (byte)random.Next(0, 60), (byte)random.Next(180, 255));
            canvas.DrawRect(centre.X - radius, centre.Y - radius, radius * 2, radius * 2, paint);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }
}
