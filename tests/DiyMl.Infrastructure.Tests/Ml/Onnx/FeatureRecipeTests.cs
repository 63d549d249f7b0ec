using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Ml.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace DiyMl.Infrastructure.Tests.Ml.Onnx;

/// <summary>
/// A feature space is a recipe, not a new graph builder: the v2 recipe (two pooled stages, signed
/// square root, per-stage unit length, a calibrated head) is checked against the same numbers
/// computed by hand from the bare network's tensors, without any v2 featurizer code.
/// </summary>
[Collection(MlCollection.Name)]
public sealed class FeatureRecipeTests(MlFixture ml)
{
    [Fact]
    public void The_feature_space_new_models_are_trained_in_has_an_onnx_recipe()
    {
        Assert.NotNull(FeatureRecipe.For(ResNetFeaturizer.Version));
    }

    [Fact]
    public void V2_recipe_graph_equals_pooled_sqrt_unit_length_stages_and_a_tempered_softmax_computed_by_hand()
    {
        var directory = ml.ResNet.Value.ModelDirectory;
        const int Classes = 3;
        const int Features = 256 + 512;
        var random = new Random(5);
        var head = new LinearHead(false, [.. Enumerable.Range(0, Features * Classes).Select(_ => (float)(random.NextDouble() - 0.5) * 4)],
            [0.3f, -0.2f, 0.1f], Features, Classes, Temperature: 2.5f);
        var path = Path.Combine(Path.GetTempPath(), $"diyml-recipe-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, ResNetOnnxGraph.Build(directory, FeatureRecipe.ResNetV2, head).ToByteArray());
        using var file = new OnnxFile(path);
        using var reference = Network(directory);
        using var preprocess = new InferenceSession(Path.Combine(directory, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));

        foreach (var shape in Shapes.Classes)
        {
            var rgb = OnnxFile.Rgb(Shapes.Draw(shape, random), 224);
            var expected = ByHand(reference, preprocess, rgb, head);
            var actual = file.Run(rgb, 224);
            for (var c = 0; c < Classes; c++)
            {
                Assert.True(Math.Abs(expected[c] - actual[c]) <= 1e-4, $"{shape}, class {c}: by hand {expected[c]}, graph {actual[c]}");
            }
        }
    }

    private static double[] ByHand(InferenceSession network, InferenceSession preprocess, byte[] rgb, LinearHead head)
    {
        var planes = new float[3 * 224 * 224];
        for (var i = 0; i < 224 * 224; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                planes[(c * 224 * 224) + i] = rgb[(3 * i) + c];
            }
        }

        using var runOptions = new RunOptions();
        using var raw = OrtValue.CreateTensorValueFromMemory(planes, [1, 3, 224, 224]);
        using var prepared = preprocess.Run(runOptions, [preprocess.InputMetadata.Keys.Single()], [raw], [preprocess.OutputMetadata.Keys.Single()]);
        var input = prepared[0].GetTensorDataAsSpan<float>().ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, 224, 224]);
        using var outputs = network.Run(runOptions, ["Input247"], [value], ["ReLU347_Output_0", "Pooling395_Output_0"]);
        var stage3 = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var pooled3 = Enumerable.Range(0, 256).Select(c => Mean(stage3.AsSpan(c * 196, 196))).ToArray();
        var pooled4 = outputs[1].GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v).ToArray();
        return ReferenceHead.Probabilities(head, [.. UnitSqrt(pooled3), .. UnitSqrt(pooled4)]);
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    private static double[] UnitSqrt(double[] pooled)
    {
        var roots = pooled.Select(v => Math.Sign(v) * Math.Sqrt(Math.Abs(v))).ToArray();
        var norm = Math.Sqrt(roots.Sum(r => r * r));
        return [.. roots.Select(r => r / norm)];
    }

    // The bare network with an intermediate tensor added to its outputs (ONNX Runtime returns only outputs).
    private static InferenceSession Network(string directory)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, "ResNet18Onnx", "ResNet18.onnx")));
        model.Graph.Output.Add(new ValueInfoProto { Name = "ReLU347_Output_0" });
        return new InferenceSession(model.ToByteArray());
    }
}
