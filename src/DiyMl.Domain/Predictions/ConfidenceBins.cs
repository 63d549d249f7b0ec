namespace DiyMl.Domain.Predictions;

/// <summary>Ten equal confidence bins: [0, 0.1), [0.1, 0.2) … [0.9, 1.0]; 1.0 falls in the last.</summary>
public static class ConfidenceBins
{
    public const int Count = 10;

    public static int BinOf(double confidence) =>
        double.IsNaN(confidence) ? 0 : Math.Clamp((int)Math.Floor(confidence * Count), 0, Count - 1);

    public static double LowerBound(int bin) => (double)bin / Count;

    public static double UpperBound(int bin) => (double)(bin + 1) / Count;
}
