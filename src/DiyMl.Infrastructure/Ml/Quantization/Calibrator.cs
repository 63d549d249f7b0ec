using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace DiyMl.Infrastructure.Ml.Quantization;

/// <summary>The range of values a tensor takes over the calibration pictures.</summary>
internal readonly record struct TensorRange(float Min, float Max);

/// <summary>
/// How a tensor's range is read off the calibration run: the extreme values seen (MinMax), or a
/// high percentile of the values (Percentile), which ignores a few outliers so the bulk of the
/// values gets finer steps.
/// </summary>
internal enum RangeMethod
{
    MinMax,
    Percentile,

    /// <summary>The range whose uint8 steps give the least mean squared error over the values seen (rounding inside, clipping outside).</summary>
    Mse,
}

/// <summary>
/// Runs the FP32 network with every tensor the quantizer needs as an extra graph output (ONNX
/// Runtime only returns graph outputs) and collects each tensor's range. One intra-op thread:
/// the same pictures then give the same sums in the same order, so the same ranges and the same
/// quantized bytes.
/// </summary>
internal static class Calibrator
{
    private const int Bins = 4096;

    public static Dictionary<string, TensorRange> Measure(
        ModelProto model, string input, IReadOnlyList<string> tensors, IReadOnlyList<float[]> inputs, long[] shape, RangeMethod method, double percentile)
    {
        var probe = model.Clone();
        probe.Graph.Output.Clear();
        probe.Graph.Output.AddRange(tensors.Select(OnnxTensors.FloatValue));
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(probe.ToByteArray(), options);
        using var run = new RunOptions();

        var min = tensors.ToDictionary(t => t, _ => float.MaxValue, StringComparer.Ordinal);
        var max = tensors.ToDictionary(t => t, _ => float.MinValue, StringComparer.Ordinal);
        Pass(session, run, input, tensors, inputs, shape, (tensor, values) =>
        {
            var (lo, hi) = (min[tensor], max[tensor]);
            foreach (var v in values)
            {
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }

            (min[tensor], max[tensor]) = (lo, hi);
        });

        // Every range includes zero, so zero is exactly representable (padding, ReLU).
        var ranges = tensors.ToDictionary(t => t, t => new TensorRange(Math.Min(0, min[t]), Math.Max(0, max[t])), StringComparer.Ordinal);
        if (method == RangeMethod.MinMax)
        {
            return ranges;
        }

        var histograms = Histograms(session, run, input, tensors, inputs, shape, ranges);
        return tensors.ToDictionary(t => t, t => method == RangeMethod.Mse ? LeastSquaredError(ranges[t], histograms[t]) : Percentile(ranges[t], histograms[t], percentile), StringComparer.Ordinal);
    }

    // A second pass fills one histogram per tensor over its min/max range.
    private static Dictionary<string, long[]> Histograms(
        InferenceSession session, RunOptions run, string input, IReadOnlyList<string> tensors, IReadOnlyList<float[]> inputs, long[] shape, Dictionary<string, TensorRange> ranges)
    {
        var histograms = tensors.ToDictionary(t => t, _ => new long[Bins], StringComparer.Ordinal);
        Pass(session, run, input, tensors, inputs, shape, (tensor, values) =>
        {
            var (lo, hi) = (ranges[tensor].Min, ranges[tensor].Max);
            var histogram = histograms[tensor];
            var step = (hi - lo) / Bins;
            if (step <= 0)
            {
                return;
            }

            foreach (var v in values)
            {
                histogram[Math.Clamp((int)((v - lo) / step), 0, Bins - 1)]++;
            }
        });
        return histograms;
    }

    // The range holding `percentile` per cent of the values, the clipped mass split between the two tails.
    private static TensorRange Percentile(TensorRange range, long[] histogram, double percentile)
    {
        var (lo, hi) = (range.Min, range.Max);
        var total = histogram.Sum();
        var negative = lo < 0;
        var tail = total * (100 - percentile) / 100 / (negative ? 2 : 1);
        var step = (hi - lo) / Bins;
        int first = 0, last = Bins - 1;
        for (double seen = 0; negative && first < Bins - 1 && seen + histogram[first] <= tail; first++)
        {
            seen += histogram[first];
        }

        for (double seen = 0; last > 0 && seen + histogram[last] <= tail; last--)
        {
            seen += histogram[last];
        }

        return new TensorRange(negative ? Math.Min(0, lo + (first * step)) : lo, Math.Max(0, lo + ((last + 1) * step)));
    }

    // The min/max range shrunk by a factor f (both ends alike, so zero stays inside) to the f whose
    // quantization error is least: each bin's values cost step²/12 when inside the range, their
    // distance to the nearer end squared when clipped. Integer grid of f and sums in bin order: deterministic.
    private static TensorRange LeastSquaredError(TensorRange range, long[] histogram)
    {
        var (lo, hi) = ((double)range.Min, (double)range.Max);
        var width = (hi - lo) / Bins;
        if (width <= 0)
        {
            return range;
        }

        var (best, bestError) = (1.0, double.MaxValue);
        for (var k = 200; k >= 8; k--)
        {
            var f = k / 200.0;
            var (a, b) = (lo * f, hi * f);
            var step = (b - a) / 255;
            var error = 0.0;
            for (var i = 0; i < Bins; i++)
            {
                if (histogram[i] == 0)
                {
                    continue;
                }

                var x = lo + ((i + 0.5) * width);
                var e = x > b ? (x - b) * (x - b) : x < a ? (a - x) * (a - x) : step * step / 12;
                error += histogram[i] * e;
            }

            if (error < bestError)
            {
                (best, bestError) = (f, error);
            }
        }

        return new TensorRange((float)(lo * best), (float)(hi * best));
    }

    private static void Pass(
        InferenceSession session, RunOptions run, string input, IReadOnlyList<string> tensors, IReadOnlyList<float[]> inputs, long[] shape, Action<string, ReadOnlySpan<float>> visit)
    {
        foreach (var picture in inputs)
        {
            using var value = OrtValue.CreateTensorValueFromMemory(picture, shape);
            using var outputs = session.Run(run, [input], [value], tensors.ToArray());
            for (var i = 0; i < tensors.Count; i++)
            {
                visit(tensors[i], outputs[i].GetTensorDataAsSpan<float>());
            }
        }
    }
}
