namespace DiyMl.Infrastructure.Ml.Quantization;

/// <summary>uint8 activation quantization: real = (q − zeroPoint) · scale.</summary>
internal readonly record struct QuantParams(float Scale, byte ZeroPoint)
{
    /// <summary>
    /// Affine uint8 over a range that contains zero (zero stays exact). The range ends are first
    /// rounded to 12 significant bits, so a last-bit difference in a float sum on another CPU does
    /// not change the file's bytes.
    /// </summary>
    public static QuantParams For(TensorRange range)
    {
        var (min, max) = (Round(Math.Min(0, range.Min)), Round(Math.Max(0, range.Max)));
        if (max - min <= 0)
        {
            return new QuantParams(1, 0);
        }

        var scale = (max - min) / 255f;
        var zeroPoint = (byte)Math.Clamp(MathF.Round(-min / scale), 0, 255);
        return new QuantParams(scale, zeroPoint);
    }

    private static float Round(float value)
    {
        if (value == 0)
        {
            return 0;
        }

        var step = Math.Pow(2, Math.Floor(Math.Log2(Math.Abs(value))) - 11);
        return (float)(Math.Round(value / step) * step);
    }
}
