namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Raw-pixel features laid out as ML.NET's ExtractPixels does (planes R, G, B, or one gray
/// plane), scaled to 0..1, so the exported ML.NET pipeline computes the same numbers.
/// </summary>
internal static class PixelFeatures
{
    public static float[] Compute(ReadOnlySpan<byte> image, int size, bool colour, bool flip, string imageName)
    {
        using var bitmap = ImagePixels.DecodeSquare(image, size, imageName);
        var rgba = bitmap.GetPixelSpan();
        var plane = size * size;
        var features = new float[colour ? 3 * plane : plane];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var source = 4 * ((y * size) + (flip ? size - 1 - x : x));
                var i = (y * size) + x;
                float r = rgba[source], g = rgba[source + 1], b = rgba[source + 2];
                if (colour)
                {
                    features[i] = r / 255f;
                    features[plane + i] = g / 255f;
                    features[(2 * plane) + i] = b / 255f;
                }
                else
                {
                    features[i] = ((0.299f * r) + (0.587f * g) + (0.114f * b)) / 255f;
                }
            }
        }

        return features;
    }
}
