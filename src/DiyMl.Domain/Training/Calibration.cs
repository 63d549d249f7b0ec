namespace DiyMl.Domain.Training;

/// <summary>
/// Honest confidence: temperature scaling (one number T for the whole model) and the expected
/// calibration error that says how far "90 % sure" is from being right 90 % of the time.
/// Probabilities are rescaled as p_i^(1/T) / Σ p_j^(1/T), which is softmax(logits / T) for any
/// head whose probabilities are a softmax, so the class ranking never changes.
/// </summary>
public static class Calibration
{
    public const int Bins = 10;
    private const double MinTemperature = 0.05;
    private const double MaxTemperature = 20;
    private const double Floor = 1e-12;

    public static double[] Apply(IReadOnlyList<float> probabilities, double temperature)
    {
        var result = new double[probabilities.Count];
        if (temperature == 1)
        {
            var total = 0.0;
            for (var i = 0; i < result.Length; i++)
            {
                total += result[i] = Math.Max(0, probabilities[i]);
            }

            return Normalise(result, total);
        }

        // In log space so small probabilities raised to a large power do not underflow to all-zeros.
        var max = double.MinValue;
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Math.Log(Math.Max(probabilities[i], Floor)) / temperature;
            max = Math.Max(max, result[i]);
        }

        var sum = 0.0;
        for (var i = 0; i < result.Length; i++)
        {
            sum += result[i] = Math.Exp(result[i] - max);
        }

        return Normalise(result, sum);
    }

    /// <summary>
    /// The temperature minimising log-loss of held-out predictions (each row: the head's
    /// probabilities for an image it did not learn from, and the index of its true class).
    /// Golden-section search over log T: log-loss is smooth and unimodal in it.
    /// </summary>
    public static double FitTemperature(IReadOnlyList<(float[] Probabilities, int Label)> heldOut)
    {
        if (heldOut.Count == 0)
        {
            return 1;
        }

        double Loss(double logT) => heldOut.Sum(r => -Math.Log(Math.Max(Apply(r.Probabilities, Math.Exp(logT))[r.Label], Floor)));
        var (low, high) = (Math.Log(MinTemperature), Math.Log(MaxTemperature));
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var (a, b) = (high - (ratio * (high - low)), low + (ratio * (high - low)));
        var (fa, fb) = (Loss(a), Loss(b));
        for (var step = 0; step < 40; step++)
        {
            if (fa <= fb)
            {
                (high, b, fb) = (b, a, fa);
                a = high - (ratio * (high - low));
                fa = Loss(a);
            }
            else
            {
                (low, a, fa) = (a, b, fb);
                b = low + (ratio * (high - low));
                fb = Loss(b);
            }
        }

        return Math.Round(Math.Exp((low + high) / 2), 4);
    }

    /// <summary>
    /// Expected calibration error: predictions binned by top confidence into <see cref="Bins"/>
    /// equal-width bins; the share-weighted gap between each bin's accuracy and its mean confidence.
    /// </summary>
    public static double ExpectedError(IReadOnlyList<(double Confidence, bool Correct)> predictions)
    {
        if (predictions.Count == 0)
        {
            return 0;
        }

        var error = 0.0;
        foreach (var bin in predictions.GroupBy(p => Math.Min(Bins - 1, (int)(p.Confidence * Bins))))
        {
            var gap = Math.Abs(bin.Average(p => p.Correct ? 1.0 : 0.0) - bin.Average(p => p.Confidence));
            error += gap * bin.Count() / predictions.Count;
        }

        return error;
    }

    /// <summary>
    /// The ECE a perfectly calibrated model would still show on these confidences, from chance
    /// alone: each answer drawn right with exactly its confidence, <paramref name="draws"/> times
    /// (seeded, so the same answers give the same figure). On a few dozen validation pictures it is
    /// 0.05-0.10, so an ECE near it says "as honest as can be measured here", not "off by that much".
    /// </summary>
    public static double SamplingFloor(IReadOnlyList<double> confidences, int draws = 200, int seed = 0)
    {
        if (confidences.Count == 0)
        {
            return 0;
        }

        var random = new Random(seed);
        var simulated = new (double, bool)[confidences.Count];
        var total = 0.0;
        for (var draw = 0; draw < draws; draw++)
        {
            for (var i = 0; i < simulated.Length; i++)
            {
                simulated[i] = (confidences[i], random.NextDouble() < confidences[i]);
            }

            total += ExpectedError(simulated);
        }

        return total / draws;
    }

    private static double[] Normalise(double[] values, double total)
    {
        if (total <= 0)
        {
            Array.Fill(values, 1.0 / values.Length);
            return values;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= total;
        }

        return values;
    }
}
