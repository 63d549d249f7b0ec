using Onnx;

namespace DiyMl.Infrastructure.Ml.Quantization;

/// <summary>
/// Folds every BatchNormalization that follows a Conv into that Conv's weights and a new bias
/// (w' = w·γ/√(σ²+ε) per output channel, b' = β + (b − μ)·γ/√(σ²+ε)). ONNX Runtime does the same
/// fold in FP32 at load time; the quantizer must do it first, because the int8 weights are the
/// folded ones and a BatchNormalization between the Conv and its output's QuantizeLinear would keep
/// the convolution out of the integer kernel.
/// </summary>
internal static class BatchNormFolding
{
    public static void Fold(GraphProto graph)
    {
        var constants = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = graph.Node.Where(n => n.Output.Count > 0).ToDictionary(n => n.Output[0], StringComparer.Ordinal);
        foreach (var bn in graph.Node.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            if (!producers.TryGetValue(bn.Input[0], out var conv) || conv.OpType != "Conv" || Consumers(graph, conv.Output[0]) != 1)
            {
                throw new InvalidDataException($"BatchNormalization '{bn.Name}' does not follow a Conv of its own; the quantizer cannot fold it.");
            }

            var epsilon = bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            var gamma = OnnxTensors.Floats(constants[bn.Input[1]]);
            var beta = OnnxTensors.Floats(constants[bn.Input[2]]);
            var mean = OnnxTensors.Floats(constants[bn.Input[3]]);
            var variance = OnnxTensors.Floats(constants[bn.Input[4]]);
            var weightTensor = constants[conv.Input[1]];
            var weights = OnnxTensors.Floats(weightTensor);
            var channels = gamma.Length;
            var perChannel = weights.Length / channels;
            var bias = conv.Input.Count > 2 ? OnnxTensors.Floats(constants[conv.Input[2]]) : new float[channels];
            var newBias = new float[channels];
            for (var c = 0; c < channels; c++)
            {
                var factor = gamma[c] / MathF.Sqrt(variance[c] + epsilon);
                for (var k = 0; k < perChannel; k++)
                {
                    weights[(c * perChannel) + k] *= factor;
                }

                newBias[c] = beta[c] + ((bias[c] - mean[c]) * factor);
            }

            Replace(graph, constants, OnnxTensors.Float(weightTensor.Name, weights, [.. weightTensor.Dims]));
            var biasName = conv.Name + "_folded_bias";
            Replace(graph, constants, OnnxTensors.Float(biasName, newBias, channels));
            if (conv.Input.Count > 2)
            {
                conv.Input[2] = biasName;
            }
            else
            {
                conv.Input.Add(biasName);
            }

            conv.Output[0] = bn.Output[0];
            graph.Node.Remove(bn);
        }

        RemoveUnused(graph);
    }

    private static int Consumers(GraphProto graph, string tensor) => graph.Node.Sum(n => n.Input.Count(i => i == tensor));

    private static void Replace(GraphProto graph, Dictionary<string, TensorProto> constants, TensorProto tensor)
    {
        if (constants.Remove(tensor.Name, out var old))
        {
            graph.Initializer.Remove(old);
        }

        graph.Initializer.Add(tensor);
        constants[tensor.Name] = tensor;
    }

    /// <summary>Drops constants no node reads any more (the folded BatchNormalizations' statistics).</summary>
    internal static void RemoveUnused(GraphProto graph)
    {
        var used = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var constant in graph.Initializer.Where(t => !used.Contains(t.Name)).ToList())
        {
            graph.Initializer.Remove(constant);
        }

        foreach (var input in graph.Input.Where(i => !used.Contains(i.Name)).ToList())
        {
            graph.Input.Remove(input);
        }
    }
}
