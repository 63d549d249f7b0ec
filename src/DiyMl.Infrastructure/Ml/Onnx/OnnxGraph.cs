using Google.Protobuf;
using Onnx;

namespace DiyMl.Infrastructure.Ml.Onnx;

/// <summary>
/// Appends nodes and constants to a graph under a name prefix, so what we add never collides
/// with the tensor names of a graph we splice in (ResNet18's are CNTK-made, e.g. <c>ReLU393</c>).
/// Nodes are collected here and placed by the caller: ONNX wants them in topological order, and
/// the preprocessing must come before the backbone, the head after it.
/// Only operators of opset 8 are used - the backbone's opset - so raising the opset can never
/// change how its BatchNormalization or pooling nodes are read.
/// </summary>
internal sealed class OnnxGraph(GraphProto graph, string prefix)
{
    private int _next;

    public List<NodeProto> Nodes { get; } = [];

    /// <summary>Adds one node with a single output and returns that output's name.</summary>
    public string Node(string op, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        Node(op, inputs, $"{prefix}{op}_{_next++}", attributes);

    /// <summary>Adds one node whose output has a chosen name (a graph output, or a tensor the backbone reads).</summary>
    public string Node(string op, IReadOnlyList<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Nodes.Add(node);
        return output;
    }

    public string Constant(ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = NewTensor(TensorProto.Types.DataType.Float, dims);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Constant(ReadOnlySpan<long> values, params long[] dims)
    {
        var tensor = NewTensor(TensorProto.Types.DataType.Int64, dims);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
        graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>x / max(‖x‖₂, epsilon) along axis 1 of a [1,F] tensor.</summary>
    public string L2Normalise(string x, float epsilon)
    {
        var norm = Node("ReduceL2", [x], Ints("axes", 1), Int("keepdims", 1));
        var floor = Node("Max", [norm, Constant([epsilon], 1)]);
        return Node("Div", [x, floor]);
    }

    /// <summary>sign(x)·√|x|, written as x / √max(|x|, tiny): opset 8 has no Sign, and x = 0 stays 0.</summary>
    public string SignedSqrt(string x)
    {
        var magnitude = Node("Max", [Node("Abs", [x]), Constant([1e-30f], 1)]);
        return Node("Div", [x, Node("Sqrt", [magnitude])]);
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A graph input or output of a fixed shape.</summary>
    public static ValueInfoProto Value(string name, TensorProto.Types.DataType type, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private TensorProto NewTensor(TensorProto.Types.DataType type, long[] dims)
    {
        var tensor = new TensorProto { Name = $"{prefix}const_{_next++}", DataType = (int)type };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
