using Onnx;

namespace DiyMl.Infrastructure.Ml.Onnx;

/// <summary>
/// A transfer model as one graph: uint8 RGB pixels → the package's own ResNetPreprocess graph
/// (RGB→BGR, minus the ImageNet mean image - spliced in unchanged, as the portal's featurizer
/// reproduces it) → ResNet18 → the feature recipe's taps → the head → softmax.
/// </summary>
internal static class ResNetOnnxGraph
{
    public const string Input = "image";

    /// <param name="backbonePath">The network the recipe's space runs on when it is not the package's FP32 one (the INT8 network, <see cref="ResNetFeaturizer.BackboneFor"/>).</param>
    public static ModelProto Build(string modelDirectory, FeatureRecipe recipe, LinearHead head, string? backbonePath = null)
    {
        if (recipe.Int8 && backbonePath is null)
        {
            throw new ArgumentException("An INT8 feature space needs the INT8 network's path.", nameof(backbonePath));
        }

        // The INT8 backbone keeps the FP32 one's input and tensor names, so the same splice and taps apply.
        var model = Parse(backbonePath ?? Path.Combine(modelDirectory, "ResNet18Onnx", "ResNet18.onnx"));
        var preprocess = Parse(Path.Combine(modelDirectory, "ResNetPrepOnnx", "ResNetPreprocess.onnx")).Graph;
        var graph = model.Graph;
        var constants = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var networkInput = graph.Input.Single(i => !constants.Contains(i.Name)).Name;
        var network = graph.Node.ToList();
        graph.Node.Clear();

        var pre = new OnnxGraph(graph, "diyml/pre/");
        var floats = pre.Node("Cast", [Input], OnnxGraph.Int("to", (int)TensorProto.Types.DataType.Float));
        var planes = pre.Node("Transpose", [floats], OnnxGraph.Ints("perm", 0, 3, 1, 2));
        Splice(preprocess, graph, pre, planes, networkInput, model.OpsetImport.Single(o => o.Domain.Length == 0).Version);

        var post = new OnnxGraph(graph, "diyml/head/");
        var parts = recipe.Taps.Select(tap => Tap(post, tap with { Tensor = TensorOf(network, tap.Tensor) }, recipe.Epsilon)).ToList();
        var features = parts.Count == 1 ? parts[0] : post.Node("Concat", parts, OnnxGraph.Int("axis", 1));
        if (recipe.L2NormaliseAll)
        {
            features = post.L2Normalise(features, recipe.Epsilon);
        }

        OnnxHead.Append(post, features, head);

        graph.Node.AddRange(pre.Nodes);
        graph.Node.AddRange(network);
        graph.Node.AddRange(post.Nodes);
        var inputs = graph.Input.Where(i => i.Name != networkInput).ToList();
        graph.Input.Clear();
        graph.Input.Add(OnnxGraph.Value(Input, TensorProto.Types.DataType.Uint8, 1, ResNetFeaturizer.Size, ResNetFeaturizer.Size, 3));
        graph.Input.AddRange(inputs);
        graph.Output.Clear();
        graph.Output.Add(OnnxHead.OutputValue(head.ClassCount));
        return model;
    }

    // A tap may name a tensor (Pooling395_Output_0) or the node making it (ReLU347 makes ReLU347_Output_0).
    private static string TensorOf(List<NodeProto> network, string name) =>
        network.Any(n => n.Output.Contains(name)) ? name
        : network.FirstOrDefault(n => n.Name == name) is { Output.Count: 1 } node ? node.Output[0]
        : throw new InvalidDataException($"The backbone has no tensor or node named '{name}'.");

    private static string Tap(OnnxGraph graph, FeatureTap tap, float epsilon)
    {
        var x = tap.GlobalAveragePool ? graph.Node("GlobalAveragePool", [tap.Tensor]) : tap.Tensor;
        x = graph.Node("Flatten", [x], OnnxGraph.Int("axis", 1));
        if (tap.SignedSqrt)
        {
            x = graph.SignedSqrt(x);
        }

        return tap.L2Normalise ? graph.L2Normalise(x, epsilon) : x;
    }

    /// <summary>Copies the preprocessing graph's nodes and constants, its input and output wired to ours, every other name prefixed.</summary>
    private static void Splice(GraphProto source, GraphProto target, OnnxGraph into, string input, string output, long opset)
    {
        var sourceInput = source.Input.Select(i => i.Name).Except(source.Initializer.Select(i => i.Name)).Single();
        var sourceOutput = source.Output.Single().Name;
        string Rename(string name) => name == sourceInput ? input : name == sourceOutput ? output : name.Length == 0 ? name : "diyml/prep/" + name;
        foreach (var constant in source.Initializer)
        {
            var copy = constant.Clone();
            copy.Name = Rename(copy.Name);
            target.Initializer.Add(copy);
        }

        foreach (var node in source.Node)
        {
            var copy = node.Clone();
            copy.Name = Rename(copy.Name);
            for (var i = 0; i < copy.Input.Count; i++)
            {
                copy.Input[i] = Rename(copy.Input[i]);
            }

            for (var i = 0; i < copy.Output.Count; i++)
            {
                copy.Output[i] = Rename(copy.Output[i]);
            }

            if (opset >= 13)
            {
                SplitSizesAsInput(copy, target);
            }

            into.Nodes.Add(copy);
        }
    }

    // The preprocessing graph is opset 8; the INT8 backbone is opset 13, where Split takes its
    // sizes as a second input instead of an attribute. Same split, the new spelling.
    private static void SplitSizesAsInput(NodeProto node, GraphProto target)
    {
        if (node.OpType != "Split" || node.Attribute.FirstOrDefault(a => a.Name == "split") is not { } sizes)
        {
            return;
        }

        var name = node.Output[0] + "/split";
        var constant = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        constant.Dims.Add(sizes.Ints.Count);
        constant.Int64Data.AddRange(sizes.Ints);
        target.Initializer.Add(constant);
        node.Attribute.Remove(sizes);
        node.Input.Add(name);
    }

    private static ModelProto Parse(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' is missing (it comes from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package).", path);
        }

        using var file = File.OpenRead(path);
        return ModelProto.Parser.ParseFrom(file);
    }
}
