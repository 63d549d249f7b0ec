using Onnx;

namespace DiyMl.Infrastructure.Ml.Onnx;

/// <summary>
/// A raw-pixel model as one graph: uint8 RGB [1,S,S,3] → 0..1 floats in planes (R, G, B) or one
/// gray plane (0.299 R + 0.587 G + 0.114 B), as <see cref="PixelFeatures"/> lays them out → head → softmax.
/// The input is the model's own small square: the person resizes to S, as for the ResNet input.
/// </summary>
internal static class PixelOnnxGraph
{
    public static ModelProto Build(int size, bool colour, LinearHead head)
    {
        var model = new ModelProto { IrVersion = 4, ProducerName = "DIY ML" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 8 });
        var graph = model.Graph = new GraphProto { Name = "diyml-pixels" };
        var g = new OnnxGraph(graph, "diyml/");
        var pixels = g.Node("Cast", [ResNetOnnxGraph.Input], OnnxGraph.Int("to", (int)TensorProto.Types.DataType.Float));
        var values = colour
            ? g.Node("Transpose", [pixels], OnnxGraph.Ints("perm", 0, 3, 1, 2))
            : g.Node("MatMul", [pixels, g.Constant([0.299f, 0.587f, 0.114f], 3, 1)]);
        var scaled = g.Node("Div", [values, g.Constant([255f], 1)]);
        OnnxHead.Append(g, g.Node("Flatten", [scaled], OnnxGraph.Int("axis", 1)), head);
        graph.Node.AddRange(g.Nodes);
        graph.Input.Add(OnnxGraph.Value(ResNetOnnxGraph.Input, TensorProto.Types.DataType.Uint8, 1, size, size, 3));
        graph.Output.Add(OnnxHead.OutputValue(head.ClassCount));
        return model;
    }
}
