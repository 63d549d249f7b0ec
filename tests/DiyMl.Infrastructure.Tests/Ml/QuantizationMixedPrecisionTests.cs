using System.Security.Cryptography;
using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Ml.Quantization;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace DiyMl.Infrastructure.Tests.Ml;

/// <summary>
/// The quantizer's candidates for closing the accuracy gap (issue 15): convs kept FP32 and
/// MSE-optimal ranges. A mixed graph must still be integer everywhere else, keep the ReLU a
/// float tensor needs, stay deterministic, and compute what the FP32 network computes.
/// </summary>
[Collection(MlCollection.Name)]
public sealed class QuantizationMixedPrecisionTests(MlFixture ml)
{
    private static readonly long[] Shape = [1, 3, ResNetFeaturizer.Size, ResNetFeaturizer.Size];

    [Fact]
    public void Convs_kept_fp32_run_as_float_while_every_other_conv_is_still_an_integer_kernel()
    {
        var resnet = ml.ResNet.Value;
        var network = ModelProto.Parser.ParseFrom(File.ReadAllBytes(resnet.BackbonePath));
        var keep = Int8Network.FirstConv(network).Concat(Int8Network.LastConvs(network, 2)).ToHashSet(StringComparer.Ordinal);
        var pictures = CalibrationPictures.Create(6).Select(resnet.PrepareInput).ToList();

        var first = QdqQuantizer.Quantize(network, pictures, Shape, RangeMethod.Percentile, 99.99, keep).ToByteArray();
        var second = QdqQuantizer.Quantize(network, CalibrationPictures.Create(6).Select(resnet.PrepareInput).ToList(), Shape, RangeMethod.Percentile, 99.99, keep).ToByteArray();
        Assert.Equal(SHA256.HashData(first), SHA256.HashData(second));

        var graph = ModelProto.Parser.ParseFrom(first).Graph;
        Assert.DoesNotContain(graph.Node, n => n.OpType == "QuantizeLinear" && n.Input[0] == FeatureGraph.Input); // the picture reaches the first conv as float
        Assert.Single(graph.Node, n => n.OpType == "Relu"); // inside the last block the float tensor keeps its ReLU: no uint8 clamp stands in for it

        var nodes = Optimized(FeatureGraph.Extend(first));
        var convs = network.Graph.Node.Count(n => n.OpType == "Conv");
        Assert.Equal(keep.Count, nodes.Count(n => n.OpType == "Conv" || n.OpType == "FusedConv"));
        Assert.Equal(convs - keep.Count, nodes.Count(n => n.OpType == "QLinearConv"));

        // Mixed precision is closer to FP32 than the all-INT8 network on the same pictures, and never wrong by far.
        var inputs = CalibrationPictures.Create(10).Skip(6).Select(resnet.PrepareInput).ToList();
        using var mixed = new InferenceSession(FeatureGraph.Extend(first));
        var cosines = inputs.Select(i => QuantizationTests.Cosine(Run(mixed, i), resnet.RunNetwork(i, output: FeatureGraph.Output))).ToList();
        Assert.True(cosines.Min() >= 0.98, $"lowest cosine {cosines.Min():F4}");
    }

    [Fact]
    public void Mse_ranges_are_deterministic_and_narrower_than_min_max()
    {
        var resnet = ml.ResNet.Value;
        var network = ModelProto.Parser.ParseFrom(File.ReadAllBytes(resnet.BackbonePath));
        var pictures = CalibrationPictures.Create(4).Select(resnet.PrepareInput).ToList();

        var mse = QdqQuantizer.Quantize(network, pictures, Shape, RangeMethod.Mse).ToByteArray();
        Assert.Equal(SHA256.HashData(mse), SHA256.HashData(QdqQuantizer.Quantize(network, pictures, Shape, RangeMethod.Mse).ToByteArray()));

        var minMax = Scales(QdqQuantizer.Quantize(network, pictures, Shape, RangeMethod.MinMax));
        var least = Scales(ModelProto.Parser.ParseFrom(mse));
        Assert.Equal(minMax.Keys.Order(), least.Keys.Order());
        Assert.All(least, s => Assert.True(s.Value <= minMax[s.Key] * 1.001f, $"{s.Key}: {s.Value} > {minMax[s.Key]}"));
        Assert.Contains(least, s => s.Value < minMax[s.Key] * 0.9f); // clipping outliers paid off somewhere
    }

    // The activation scales: one float per quantized tensor (weights have one per channel).
    private static Dictionary<string, float> Scales(ModelProto model) =>
        model.Graph.Initializer.Where(t => t.Name.EndsWith("/scale", StringComparison.Ordinal) && t.Dims.Count == 0)
            .ToDictionary(t => t.Name, t => OnnxTensors.Floats(t)[0], StringComparer.Ordinal);

    private static float[] Run(InferenceSession session, float[] input)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, Shape);
        using var run = new RunOptions();
        using var outputs = session.Run(run, [FeatureGraph.Input], [value], [FeatureGraph.Output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static List<NodeProto> Optimized(byte[] model)
    {
        var path = Path.Combine(Path.GetTempPath(), $"diyml-mixed-opt-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = path })
            using (new InferenceSession(model, options))
            {
            }

            return [.. ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Node];
        }
        finally
        {
            File.Delete(path);
        }
    }
}
