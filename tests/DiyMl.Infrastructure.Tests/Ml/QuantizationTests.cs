using System.Security.Cryptography;
using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Ml.Onnx;
using DiyMl.Infrastructure.Ml.Quantization;
using DiyMl.Infrastructure.Tests.Ml.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace DiyMl.Infrastructure.Tests.Ml;

/// <summary>
/// The INT8 network (issue 15): produced the same way every time, run by ONNX Runtime on integer
/// kernels, and close enough to FP32 that a person would not tell the features apart.
/// </summary>
[Collection(MlCollection.Name)]
public sealed class QuantizationTests(MlFixture ml)
{
    private static readonly string LegacyImages = Path.Combine(AppContext.BaseDirectory, "Ml", "Fixtures", "legacy-v1", "images");

    [Fact]
    public void The_quantizer_writes_the_same_bytes_from_the_same_network_and_pictures()
    {
        var resnet = ml.ResNet.Value;
        var network = ModelProto.Parser.ParseFrom(File.ReadAllBytes(resnet.BackbonePath));
        var pictures = CalibrationPictures.Create(6).Select(resnet.PrepareInput).ToList();

        var first = QdqQuantizer.Quantize(network, pictures, [1, 3, 224, 224], RangeMethod.Percentile, 99.99).ToByteArray();
        var second = QdqQuantizer.Quantize(network, CalibrationPictures.Create(6).Select(resnet.PrepareInput).ToList(), [1, 3, 224, 224], RangeMethod.Percentile, 99.99).ToByteArray();

        Assert.Equal(SHA256.HashData(first), SHA256.HashData(second));
        var graph = ModelProto.Parser.ParseFrom(first).Graph;
        Assert.DoesNotContain(graph.Node, n => n.OpType is "BatchNormalization" or "Relu");
        var convs = network.Graph.Node.Count(n => n.OpType == "Conv");
        Assert.Equal(convs, graph.Node.Count(n => n.OpType == "Conv"));
        Assert.Equal(convs, graph.Initializer.Count(t => t.DataType == (int)TensorProto.Types.DataType.Int8 && t.Dims.Count == 4));
        Assert.DoesNotContain(graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count == 4);
    }

    [Fact]
    public void The_network_is_kept_under_its_directory_and_produced_again_when_corrupt()
    {
        var resnet = ml.ResNet.Value;
        var directory = Directory.CreateTempSubdirectory("diyml-int8").FullName;
        try
        {
            var path = Int8Network.Ensure(resnet.BackbonePath, directory, resnet.PrepareInput);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), File.ReadAllText(path + ".sha256"));
            Assert.Equal(File.ReadAllBytes(resnet.Int8BackbonePath()), bytes); // same inputs, same file as the fixture's directory

            var corrupt = (byte[])bytes.Clone();
            corrupt[corrupt.Length / 2] ^= 0xFF;
            File.WriteAllBytes(path, corrupt);
            Assert.Equal(path, Int8Network.Ensure(resnet.BackbonePath, directory, resnet.PrepareInput));
            Assert.Equal(bytes, File.ReadAllBytes(path));

            File.Delete(path);
            Assert.Equal(bytes, File.ReadAllBytes(Int8Network.Ensure(resnet.BackbonePath, directory, resnet.PrepareInput)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Onnx_runtime_fuses_the_quantized_graph_into_integer_convolutions()
    {
        var optimized = Path.Combine(Path.GetTempPath(), $"diyml-int8-opt-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = optimized })
            using (new InferenceSession(ml.ResNet.Value.FeatureGraphFor(ResNetFeaturizer.VersionV2Int8), options))
            {
            }

            var nodes = ModelProto.Parser.ParseFrom(File.ReadAllBytes(optimized)).Graph.Node;
            var convs = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ml.ResNet.Value.BackbonePath)).Graph.Node.Count(n => n.OpType == "Conv");
            Assert.Equal(convs, nodes.Count(n => n.OpType == "QLinearConv"));
            Assert.DoesNotContain(nodes, n => n.OpType == "Conv");
        }
        finally
        {
            File.Delete(optimized);
        }
    }

    // ONNX Runtime's integer kernels without VNNI (AVX2, plain AVX-512) sum uint8 × int8 products in
    // pairs into 16 bits: 255 · 127 · 2 saturates, 255 · 63 · 2 does not. With 8-bit weights an AVX2
    // EPYC computed features at a mean cosine of 0.897 to FP32 instead of 0.99.
    [Fact]
    public void The_shipped_network_keeps_every_weight_within_seven_bits_so_no_cpu_saturates_its_sums()
    {
        var resnet = ml.ResNet.Value;
        var convs = ModelProto.Parser.ParseFrom(File.ReadAllBytes(resnet.BackbonePath)).Graph.Node.Count(n => n.OpType == "Conv");

        Assert.Equal([63], PeakWeights(resnet.Int8BackbonePath(), convs));
        Assert.Equal([127], PeakWeights(resnet.BackboneFor(ResNetFeaturizer.VersionV2Int8V1), convs)); // the first recipe is unchanged
    }

    [Fact]
    public void Models_of_the_first_int8_space_keep_their_own_network()
    {
        var resnet = ml.ResNet.Value;
        var picture = File.ReadAllBytes(Directory.GetFiles(LegacyImages)[0]);

        Assert.True(ResNetFeaturizer.IsKnown(ResNetFeaturizer.VersionV2Int8V1));
        Assert.True(ResNetFeaturizer.IsInt8(ResNetFeaturizer.VersionV2Int8V1));
        Assert.NotNull(FeatureRecipe.For(ResNetFeaturizer.VersionV2Int8V1));
        Assert.NotEqual(resnet.BackboneFor(ResNetFeaturizer.VersionV2Int8), resnet.BackboneFor(ResNetFeaturizer.VersionV2Int8V1));
        Assert.NotEqual(
            resnet.Featurize(picture, false, "picture", featurizer: ResNetFeaturizer.VersionV2Int8),
            resnet.Featurize(picture, false, "picture", featurizer: ResNetFeaturizer.VersionV2Int8V1));
    }

    [Fact]
    public void Int8_features_point_the_same_way_as_fp32_features()
    {
        var random = new Random(21);
        var pictures = Directory.GetFiles(LegacyImages).Select(File.ReadAllBytes)
            .Concat(Shapes.Classes.SelectMany(c => Enumerable.Range(0, 3).Select(_ => Shapes.Draw(c, random, 160, 120))))
            .Concat(ml.FashionValidation.Select(i => ml.Bytes[i.Sha256]))
            .ToList();
        var resnet = ml.ResNet.Value;

        var cosines = pictures.Select(p => Cosine(
            resnet.Featurize(p, false, "picture", featurizer: ResNetFeaturizer.VersionV2),
            resnet.Featurize(p, false, "picture", featurizer: ResNetFeaturizer.VersionV2Int8))).ToList();

        Assert.True(cosines.Average() >= 0.98, $"mean cosine {cosines.Average():F4} over {cosines.Count} pictures");
        Assert.True(cosines.Min() >= 0.9, $"lowest cosine {cosines.Min():F4}");
        Assert.True(cosines.Max() < 1 - 1e-6, "the INT8 features are the FP32 ones: the INT8 network is not in use");
    }

    [Fact]
    public void The_onnx_export_of_an_int8_model_embeds_the_int8_network_and_computes_what_the_portal_computes()
    {
        var resnet = ml.ResNet.Value;
        const int Classes = 3;
        var random = new Random(8);
        var head = new LinearHead(false, [.. Enumerable.Range(0, FeatureGraph.FeatureCount * Classes).Select(_ => (float)(random.NextDouble() - 0.5) * 8)],
            [0.2f, -0.1f, 0f], FeatureGraph.FeatureCount, Classes, Temperature: 1.5f);
        var recipe = FeatureRecipe.For(ResNetFeaturizer.VersionV2Int8)!;
        var model = ResNetOnnxGraph.Build(resnet.ModelDirectory, recipe, head, resnet.BackboneFor(recipe.FeatureSpace));
        Assert.Contains(model.Graph.Node, n => n.OpType == "QuantizeLinear");
        var path = Path.Combine(Path.GetTempPath(), $"diyml-int8-export-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        using var file = new OnnxFile(path);

        foreach (var shape in Shapes.Classes)
        {
            var rgb = ResNetFeaturizer.PreparePixels(Shapes.Draw(shape, random, 200, 150), shape);
            var expected = ReferenceHead.Probabilities(head, [.. resnet.FeaturizePrepared(rgb, ResNetFeaturizer.VersionV2Int8).Select(v => (double)v)]);
            var actual = file.Run(rgb, ResNetFeaturizer.Size);
            for (var c = 0; c < Classes; c++)
            {
                Assert.True(Math.Abs(expected[c] - actual[c]) <= 1e-4, $"{shape}, class {c}: portal {expected[c]}, file {actual[c]}");
            }
        }
    }

    internal static double Cosine(float[] a, float[] b)
    {
        double dot = 0, x = 0, y = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            x += a[i] * (double)a[i];
            y += b[i] * (double)b[i];
        }

        return dot / Math.Sqrt(x * y);
    }

    // The distinct largest |weight| over every conv's int8 weights (each channel's peak is scaled to the limit).
    private static int[] PeakWeights(string networkPath, int convs)
    {
        var weights = ModelProto.Parser.ParseFrom(File.ReadAllBytes(networkPath)).Graph.Initializer
            .Where(t => t.DataType == (int)TensorProto.Types.DataType.Int8 && t.Dims.Count == 4).ToList();
        Assert.Equal(convs, weights.Count);
        return [.. weights.Select(t => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(t.RawData.Span).ToArray().Max(w => Math.Abs((int)w))).Distinct()];
    }
}
