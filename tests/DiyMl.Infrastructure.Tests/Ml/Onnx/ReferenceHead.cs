using DiyMl.Infrastructure.Ml.Onnx;

namespace DiyMl.Infrastructure.Tests.Ml.Onnx;

/// <summary>
/// A linear head's probabilities computed by hand (logits, temperature, softmax), with none of the
/// product's head code: the reference the exported and quantized graphs are compared with.
/// </summary>
internal static class ReferenceHead
{
    public static double[] Probabilities(LinearHead head, IReadOnlyList<double> features)
    {
        var logits = new double[head.ClassCount];
        for (var c = 0; c < head.ClassCount; c++)
        {
            logits[c] = head.Bias[c];
            for (var f = 0; f < head.FeatureCount; f++)
            {
                logits[c] += features[f] * head.Weights[(f * head.ClassCount) + c];
            }

            logits[c] /= head.Temperature;
        }

        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        return [.. exp.Select(e => e / exp.Sum())];
    }
}
