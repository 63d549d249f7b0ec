using SkiaSharp;

namespace DiyMl.Infrastructure.Tests.Ml;

/// <summary>Generated colour pictures of four shapes, random colours and placement; every call gives new bytes.</summary>
public static class Shapes
{
    public static readonly string[] Classes = ["circle", "square", "triangle", "cross"];

    public static byte[] Draw(string shape, Random random, int width = 96, int height = 96, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(RandomColour(random, light: true));
            using var paint = new SKPaint { Color = RandomColour(random, light: false), IsAntialias = true };
            var side = Math.Min(width, height);
            var size = side * (0.45f + (0.3f * random.NextSingle()));
            var cx = (width / 2f) + ((random.NextSingle() - 0.5f) * (width - size) * 0.5f);
            var cy = (height / 2f) + ((random.NextSingle() - 0.5f) * (height - size) * 0.5f);
            var half = size / 2;
            switch (shape)
            {
                case "circle":
                    canvas.DrawCircle(cx, cy, half, paint);
                    break;
                case "square":
                    canvas.DrawRect(cx - half, cy - half, size, size, paint);
                    break;
                case "triangle":
                    using (var path = new SKPath())
                    {
                        path.MoveTo(cx, cy - half);
                        path.LineTo(cx + half, cy + half);
                        path.LineTo(cx - half, cy + half);
                        path.Close();
                        canvas.DrawPath(path, paint);
                    }

                    break;
                default:
                    canvas.DrawRect(cx - half, cy - (size / 8), size, size / 4, paint);
                    canvas.DrawRect(cx - (size / 8), cy - half, size / 4, size, paint);
                    break;
            }
        }

        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    private static SKColor RandomColour(Random random, bool light)
    {
        var low = light ? 170 : 0;
        var high = light ? 256 : 140;
        return new SKColor((byte)random.Next(low, high), (byte)random.Next(low, high), (byte)random.Next(low, high));
    }
}
