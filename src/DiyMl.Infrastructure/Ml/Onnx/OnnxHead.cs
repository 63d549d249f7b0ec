using Onnx;

namespace DiyMl.Infrastructure.Ml.Onnx;

/// <summary>The graph's end, shared by every model type: the head's own scaling, (W·x + b) / T, softmax into <c>probabilities</c>.</summary>
internal static class OnnxHead
{
    public const string Output = "probabilities";

    public static void Append(OnnxGraph graph, string features, LinearHead head)
    {
        if (head.L2NormaliseInput)
        {
            // As ML.NET's LpNorm scaling: x · (1/‖x‖₂), and a zero vector stays zero.
            var norm = graph.Node("ReduceL2", [features], OnnxGraph.Ints("axes", 1), OnnxGraph.Int("keepdims", 1));
            var inverse = graph.Node("Div", [graph.Constant([1f], 1), graph.Node("Max", [norm, graph.Constant([float.Epsilon], 1)])]);
            features = graph.Node("Mul", [features, inverse]);
        }

        var weights = graph.Constant(head.Weights, head.FeatureCount, head.ClassCount);
        var logits = graph.Node("Add", [graph.Node("MatMul", [features, weights]), graph.Constant(head.Bias, head.ClassCount)]);
        if (head.Temperature != 1)
        {
            logits = graph.Node("Div", [logits, graph.Constant([head.Temperature], 1)]);
        }

        graph.Node("Softmax", [logits], Output, OnnxGraph.Int("axis", 1));
    }

    public static ValueInfoProto OutputValue(int classes) => OnnxGraph.Value(Output, TensorProto.Types.DataType.Float, 1, classes);
}
