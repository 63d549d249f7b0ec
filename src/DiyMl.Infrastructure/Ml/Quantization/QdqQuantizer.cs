using Onnx;

namespace DiyMl.Infrastructure.Ml.Quantization;

/// <summary>
/// Static quantization of a Conv/Add/MaxPool network (ResNet18) into QDQ form, the layout ONNX
/// Runtime's CPU provider fuses into integer kernels (QLinearConv, QLinearAdd, uint8 MaxPool; the
/// idea of onnxruntime's Python quantization tool, rebuilt here): every activation between those
/// ops passes QuantizeLinear → DequantizeLinear (uint8, calibrated range), every Conv weight is
/// int8, symmetric, one scale per output channel (axis 0), every bias int32 at input scale × weight
/// scale. A ReLU after a Conv or Add is dropped and its output quantized from zero up instead: the
/// uint8 clamp at zero is the ReLU, and the convolution stays one integer kernel. Tensors keep their
/// names (the dequantized value carries the original name), so nodes appended later - the feature
/// tail, which stays FP32 - read the same tensors as in the FP32 network.
/// </summary>
internal static class QdqQuantizer
{
    public const int Opset = 13; // per-channel QuantizeLinear/DequantizeLinear (axis) needs 13

    /// <param name="fp32Convs">
    /// Conv nodes kept FP32 (mixed precision): their weights stay float, and a tensor only they read
    /// (the first conv's input picture) is not quantized; ONNX Runtime then runs them as float Conv.
    /// </param>
    /// <param name="weightBits">8: −127..127; 7: −63..63, whose products with uint8 activations never saturate a 16-bit pair sum (see <see cref="Int8Network.Recipe"/>).</param>
    public static ModelProto Quantize(ModelProto network, IReadOnlyList<float[]> calibration, long[] inputShape, RangeMethod method, double percentile = 99.999, IReadOnlySet<string>? fp32Convs = null, int weightBits = 8)
    {
        fp32Convs ??= new HashSet<string>(StringComparer.Ordinal);
        var model = network.Clone();
        var graph = model.Graph;
        BatchNormFolding.Fold(graph);
        model.IrVersion = Math.Max(model.IrVersion, 7);
        model.OpsetImport.Clear();
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });

        var input = graph.Input.Single().Name;
        var fusedRelus = FusedRelus(graph, fp32Convs);
        var activations = Activations(graph, input, fusedRelus);
        var ranges = Calibrator.Measure(model, input, activations.Where(a => a.SharesInput is null).Select(a => a.Tensor).ToList(), calibration, inputShape, method, percentile);
        var parameters = new Dictionary<string, QuantParams>(StringComparer.Ordinal);
        foreach (var activation in activations)
        {
            parameters[activation.Tensor] = activation.SharesInput is { } source ? parameters[source] : QuantParams.For(ranges[activation.Tensor]);
        }

        foreach (var relu in fusedRelus)
        {
            graph.Node.Single(n => n.Output.Contains(relu.Input[0])).Output[0] = relu.Output[0];
            graph.Node.Remove(relu);
        }

        var onlyFp32Readers = parameters.Keys.Where(t => OnlyFp32Read(graph, t, fp32Convs)).ToHashSet(StringComparer.Ordinal);
        var nodes = new List<NodeProto>();
        var weightPeak = (1 << (weightBits - 1)) - 1;
        nodes.AddRange(graph.Node.Where(n => n.OpType == "Conv" && !fp32Convs.Contains(n.Name)).ToList().SelectMany(conv => QuantizeWeights(graph, conv, parameters[conv.Input[0]], weightPeak)));
        if (!onlyFp32Readers.Contains(input))
        {
            nodes.AddRange(QuantizeActivation(graph, input, parameters[input], rename: true));
        }

        foreach (var node in graph.Node.ToList())
        {
            nodes.Add(node);
            if (node.Output.Count == 1 && parameters.TryGetValue(node.Output[0], out var p) && node.Output[0] != input && !onlyFp32Readers.Contains(node.Output[0]))
            {
                nodes.AddRange(QuantizeActivation(graph, node.Output[0], p, rename: false, producer: node));
            }
        }

        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        BatchNormFolding.RemoveUnused(graph);
        return model;
    }

    private sealed record Activation(string Tensor, string? SharesInput = null);

    // A ReLU whose input is a Conv's or an Add's output read by nothing else - unless only FP32
    // convs read the ReLU's output: that tensor is not quantized, so no uint8 clamp stands in for it.
    private static List<NodeProto> FusedRelus(GraphProto graph, IReadOnlySet<string> fp32Convs) =>
        graph.Node.Where(relu => relu.OpType == "Relu"
            && graph.Node.SingleOrDefault(n => n.Output.Contains(relu.Input[0])) is { OpType: "Conv" or "Add" }
            && graph.Node.Sum(n => n.Input.Count(i => i == relu.Input[0])) == 1
            && !OnlyFp32Read(graph, relu.Output[0], fp32Convs)).ToList();

    // Whether every reader of a tensor is an FP32 conv, directly or through a ReLU: then it stays float.
    private static bool OnlyFp32Read(GraphProto graph, string tensor, IReadOnlySet<string> fp32Convs)
    {
        var readers = graph.Node.Where(n => n.Input.Contains(tensor)).ToList();
        return readers.Count > 0 && readers.All(n => (n.OpType == "Conv" && fp32Convs.Contains(n.Name)) || (n.OpType == "Relu" && OnlyFp32Read(graph, n.Output[0], fp32Convs)));
    }

    // The tensors to quantize, in graph order: the input, each Conv/Add output (or its fused ReLU's
    // output), each MaxPool output (at its input's parameters, so ONNX Runtime runs it on uint8 as is).
    private static List<Activation> Activations(GraphProto graph, string input, List<NodeProto> fusedRelus)
    {
        var reluOf = fusedRelus.ToDictionary(r => r.Input[0], r => r.Output[0], StringComparer.Ordinal);
        var result = new List<Activation> { new(input) };
        foreach (var node in graph.Node)
        {
            switch (node.OpType)
            {
                case "Conv" or "Add":
                    result.Add(new Activation(reluOf.GetValueOrDefault(node.Output[0], node.Output[0])));
                    break;
                case "MaxPool":
                    result.Add(new Activation(node.Output[0], node.Input[0]));
                    break;
                case "Relu" or "AveragePool" or "GlobalAveragePool":
                    break;
                default:
                    throw new InvalidDataException($"The quantizer does not know the operator '{node.OpType}' ({node.Name}).");
            }
        }

        return result;
    }

    // tensor → QuantizeLinear → DequantizeLinear → readers. The producer writes tensor/f and the
    // dequantized value keeps the name; the graph input cannot be renamed, so its readers are.
    private static IEnumerable<NodeProto> QuantizeActivation(GraphProto graph, string tensor, QuantParams p, bool rename, NodeProto? producer = null)
    {
        var scale = tensor + "/scale";
        var zeroPoint = tensor + "/zero_point";
        graph.Initializer.Add(OnnxTensors.Float(scale, [p.Scale]));
        graph.Initializer.Add(OnnxTensors.UInt8(zeroPoint, [p.ZeroPoint]));
        var source = tensor;
        var dequantized = tensor;
        if (rename)
        {
            dequantized = tensor + "/dq";
            foreach (var node in graph.Node)
            {
                for (var i = 0; i < node.Input.Count; i++)
                {
                    if (node.Input[i] == tensor)
                    {
                        node.Input[i] = dequantized;
                    }
                }
            }
        }
        else
        {
            source = tensor + "/f";
            producer!.Output[0] = source;
        }

        yield return OnnxTensors.Node("QuantizeLinear", tensor + "/Q", [source, scale, zeroPoint], [tensor + "/q"]);
        yield return OnnxTensors.Node("DequantizeLinear", tensor + "/DQ", [tensor + "/q", scale, zeroPoint], [dequantized]);
    }

    // Weights int8 symmetric per output channel (±peak); bias int32 with scale input·weight, zero point 0.
    private static IEnumerable<NodeProto> QuantizeWeights(GraphProto graph, NodeProto conv, QuantParams input, int weightPeak)
    {
        var constants = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var weightTensor = constants[conv.Input[1]];
        var weights = OnnxTensors.Floats(weightTensor);
        var channels = (int)weightTensor.Dims[0];
        var perChannel = weights.Length / channels;
        var scales = new float[channels];
        var quantized = new sbyte[weights.Length];
        for (var c = 0; c < channels; c++)
        {
            var peak = 0f;
            for (var k = 0; k < perChannel; k++)
            {
                peak = Math.Max(peak, Math.Abs(weights[(c * perChannel) + k]));
            }

            scales[c] = peak > 0 ? peak / weightPeak : 1f;
            for (var k = 0; k < perChannel; k++)
            {
                quantized[(c * perChannel) + k] = (sbyte)Math.Clamp(MathF.Round(weights[(c * perChannel) + k] / scales[c]), -weightPeak, weightPeak);
            }
        }

        var w = weightTensor.Name;
        graph.Initializer.Remove(weightTensor);
        graph.Initializer.Add(OnnxTensors.Int8(w + "/q", quantized, [.. weightTensor.Dims]));
        graph.Initializer.Add(OnnxTensors.Float(w + "/scale", scales, channels));
        graph.Initializer.Add(OnnxTensors.Int8(w + "/zero_point", new sbyte[channels], channels));
        yield return OnnxTensors.Node("DequantizeLinear", w + "/DQ", [w + "/q", w + "/scale", w + "/zero_point"], [w], OnnxTensors.Int("axis", 0));

        var biasTensor = constants[conv.Input[2]];
        var bias = OnnxTensors.Floats(biasTensor);
        var biasScales = scales.Select(s => s * input.Scale).ToArray();
        var biasQuantized = bias.Select((b, c) => (int)Math.Clamp(Math.Round(b / (double)biasScales[c]), int.MinValue, int.MaxValue)).ToArray();
        var name = biasTensor.Name;
        graph.Initializer.Remove(biasTensor);
        graph.Initializer.Add(OnnxTensors.Int32(name + "/q", biasQuantized, channels));
        graph.Initializer.Add(OnnxTensors.Float(name + "/scale", biasScales, channels));
        graph.Initializer.Add(OnnxTensors.Int32(name + "/zero_point", new int[channels], channels));
        yield return OnnxTensors.Node("DequantizeLinear", name + "/DQ", [name + "/q", name + "/scale", name + "/zero_point"], [name], OnnxTensors.Int("axis", 0));
    }
}
