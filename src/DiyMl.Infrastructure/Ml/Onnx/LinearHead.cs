using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;

namespace DiyMl.Infrastructure.Ml.Onnx;

/// <summary>
/// A stored ML.NET head read back as plain numbers: optional unit-length scaling of the input,
/// then softmax((W·x + b) / T) - what a maximum-entropy (multinomial logistic) head computes,
/// with the calibration temperature T stored beside it (1 for models trained before calibration).
/// Anything else in the head - a tree ensemble, an unknown transform - is refused rather than
/// guessed at, so an exported file never silently disagrees with the portal.
/// </summary>
internal sealed record LinearHead(bool L2NormaliseInput, float[] Weights, float[] Bias, int FeatureCount, int ClassCount, float Temperature = 1)
{
    /// <summary>Weights laid out [feature, class] for a MatMul on a [1,F] input.</summary>
    public static LinearHead Read(ITransformer head, int featureCount, int classCount, float temperature = 1)
    {
        var normalise = false;
        MaximumEntropyModelParameters? linear = null;
        foreach (var step in Flatten(head))
        {
            switch (step)
            {
                case LpNormNormalizingTransformer lp when linear is null && !normalise && IsPlainL2(lp):
                    normalise = true;
                    break;
                case ISingleFeaturePredictionTransformer<object> { Model: MaximumEntropyModelParameters m } when linear is null:
                    linear = m;
                    break;
                default:
                    throw new OnnxExportNotSupportedException($"its head contains {Describe(step)}");
            }
        }

        if (linear is null)
        {
            throw new OnnxExportNotSupportedException("its head has no linear classifier");
        }

        VBuffer<float>[] rows = [];
        linear.GetWeights(ref rows, out var classes);
        var bias = linear.GetBiases().ToArray();
        if (classes != classCount || bias.Length != classCount || rows.Any(r => r.Length != featureCount))
        {
            throw new InvalidDataException($"The stored head has {classes} classes of {rows.FirstOrDefault().Length} features; the model says {classCount} of {featureCount}.");
        }

        var weights = new float[featureCount * classCount];
        for (var c = 0; c < classCount; c++)
        {
            // Sparse or dense, DenseValues() yields every feature in order.
            var f = 0;
            foreach (var w in rows[c].DenseValues())
            {
                weights[(f++ * classCount) + c] = w;
            }
        }

        if (!(temperature > 0) || !float.IsFinite(temperature))
        {
            throw new InvalidDataException($"The stored calibration temperature {temperature} is not a positive number.");
        }

        return new LinearHead(normalise, weights, bias, featureCount, classCount, temperature);
    }

    // The transformer's column options are internal in ML.NET 5.0.1, so they are read by name;
    // anything unreadable counts as "not plain L2" and the export is refused.
    private static bool IsPlainL2(LpNormNormalizingTransformer lp)
    {
        const System.Reflection.BindingFlags Any = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;
        if (typeof(LpNormNormalizingTransformer).GetProperty("Columns", Any)?.GetValue(lp) is not System.Collections.IEnumerable columns
            || columns.Cast<object>().ToList() is not [var only])
        {
            return false;
        }

        object? Field(string name) => only.GetType().GetField(name, Any)?.GetValue(only);
        return Field("Norm")?.ToString() == "L2" && Field("EnsureZeroMean") is false && Field("Scale") is 1f;
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer) =>
        transformer is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [transformer];

    private static string Describe(ITransformer step) =>
        step is ISingleFeaturePredictionTransformer<object> p ? $"a {p.Model.GetType().Name}" : $"a {step.GetType().Name}";
}

/// <summary>This model cannot be written as an ONNX file (yet); the ML.NET zip still works.</summary>
internal sealed class OnnxExportNotSupportedException(string reason)
    : Exception($"This model type cannot be exported to ONNX yet ({reason}); download the ML.NET zip instead.");
