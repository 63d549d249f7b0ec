namespace DiyMl.Infrastructure.Ml.Quantization;

/// <summary>
/// The pictures the quantizer calibrates on, drawn here from a fixed seed (no test set, no
/// third-party pictures, nothing to download): 224×224 RGB scenes of the kinds people upload -
/// an object on white (the letterbox), flat-colour shapes, gradients, stripes and textured noise,
/// dark and bright - so every layer sees the spread of values real pictures give it. Pure C#
/// arithmetic on a seeded <see cref="Random"/>: the same bytes on every machine and version.
/// </summary>
internal static class CalibrationPictures
{
    public const int Seed = 15;
    private const int Size = ResNetFeaturizer.Size;

    /// <summary><paramref name="count"/> pictures, RGB bytes row by row (HWC), as <see cref="ResNetFeaturizer.PreparePixels"/> gives them.</summary>
    public static IReadOnlyList<byte[]> Create(int count)
    {
        var random = new Random(Seed);
        var pictures = new List<byte[]>(count);
        for (var n = 0; n < count; n++)
        {
            pictures.Add(Draw(random, n));
        }

        return pictures;
    }

    private static byte[] Draw(Random random, int n)
    {
        var rgb = new byte[Size * Size * 3];
        var (a, b) = (Colour(random), Colour(random));
        var style = n % 4;
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var t = style switch
                {
                    0 => -1, // white, like a letterboxed picture's margins
                    1 => (x + y) / (2.0 * Size), // gradient
                    2 => ((x / 12) + (y / 12)) % 2, // checks
                    _ => random.NextDouble(), // noise
                };
                Set(rgb, x, y, t < 0 ? (255, 255, 255) : Mix(a, b, t));
            }
        }

        var shapes = 2 + random.Next(6);
        for (var s = 0; s < shapes; s++)
        {
            Shape(random, rgb);
        }

        return rgb;
    }

    // A filled ellipse, rectangle or triangle in one colour, sometimes striped.
    private static void Shape(Random random, byte[] rgb)
    {
        var (cx, cy) = (random.Next(Size), random.Next(Size));
        var (rx, ry) = (8 + random.Next(80), 8 + random.Next(80));
        var (colour, other) = (Colour(random), Colour(random));
        var kind = random.Next(3);
        var stripes = random.Next(3) == 0 ? 2 + random.Next(10) : 0;
        for (var y = Math.Max(0, cy - ry); y < Math.Min(Size, cy + ry); y++)
        {
            for (var x = Math.Max(0, cx - rx); x < Math.Min(Size, cx + rx); x++)
            {
                var (dx, dy) = ((x - cx) / (double)rx, (y - cy) / (double)ry);
                var inside = kind switch
                {
                    0 => (dx * dx) + (dy * dy) <= 1,
                    1 => true,
                    _ => dy >= -1 + (2 * Math.Abs(dx)),
                };
                if (inside)
                {
                    Set(rgb, x, y, stripes > 0 && (x / stripes) % 2 == 0 ? other : colour);
                }
            }
        }
    }

    private static (int R, int G, int B) Colour(Random random) => (random.Next(256), random.Next(256), random.Next(256));

    private static (int R, int G, int B) Mix((int R, int G, int B) a, (int R, int G, int B) b, double t) =>
        ((int)(a.R + ((b.R - a.R) * t)), (int)(a.G + ((b.G - a.G) * t)), (int)(a.B + ((b.B - a.B) * t)));

    private static void Set(byte[] rgb, int x, int y, (int R, int G, int B) c)
    {
        var i = 3 * ((y * Size) + x);
        (rgb[i], rgb[i + 1], rgb[i + 2]) = ((byte)c.R, (byte)c.G, (byte)c.B);
    }
}
