using System.Text;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Feature space v2 as ONNX nodes appended to ResNet18's own graph (see
/// /work/briefs/feature-space-v2.md): stage 3 (<c>ReLU347_Output_0</c>, 256×14×14) and stage 4 (the network's
/// pooled <c>Pooling395_Output_0</c>, 512) each global-average pooled, square-rooted and scaled to
/// unit length, concatenated into <see cref="Output"/> [1,768]. ONNX Runtime returns only graph
/// outputs, so the pooling lives in the graph: one forward pass yields both the v1 output (kept as
/// a graph output) and the v2 vector, and the ONNX export can start from the very same bytes.
/// The edit is done on the protobuf wire format directly (a ModelProto is a handful of fields; the
/// graph's repeated node/output fields may be appended anywhere), so no generated onnx.proto code is needed.
/// </summary>
public static class FeatureGraph
{
    public const string Input = "Input247";
    public const string PooledV1 = "Pooling395_Output_0";
    public const string Stage3 = "ReLU347_Output_0";
    public const string Output = "features";
    public const int Stage3Channels = 256;
    public const int Stage4Channels = 512;
    public const int FeatureCount = Stage3Channels + Stage4Channels;

    private const int ModelGraphField = 7;
    private const int GraphNodeField = 1;
    private const int GraphOutputField = 12;

    /// <summary>The ResNet18 ModelProto at <paramref name="resnetPath"/> with the v2 feature nodes and output added.</summary>
    public static byte[] Build(string resnetPath) => Extend(File.ReadAllBytes(resnetPath));

    internal static byte[] Extend(byte[] model)
    {
        var output = new MemoryStream();
        var found = false;
        var position = 0;
        while (position < model.Length)
        {
            var start = position;
            var tag = ReadVarint(model, ref position);
            var (field, wire) = ((int)(tag >> 3), (int)(tag & 7));
            if (field == ModelGraphField && wire == 2)
            {
                var length = (int)ReadVarint(model, ref position);
                var graph = new MemoryStream();
                graph.Write(model, position, length);
                AppendFeatureNodes(graph);
                WriteBytes(output, ModelGraphField, graph.ToArray());
                position += length;
                found = true;
                continue;
            }

            Skip(model, ref position, wire);
            output.Write(model, start, position - start);
        }

        return found ? output.ToArray() : throw new InvalidDataException("The ResNet18 model has no graph.");
    }

    private static void AppendFeatureNodes(Stream graph)
    {
        Node(graph, "GlobalAveragePool", [Stage3], "v2_s3_gap");
        Block(graph, "v2_s3_gap", "v2_s3");
        Block(graph, PooledV1, "v2_s4");
        Node(graph, "Concat", ["v2_s3_l2", "v2_s4_l2"], Output, Int("axis", 1));
        WriteBytes(graph, GraphOutputField, ValueInfo(Output));
    }

    // Flatten [1,C,1,1] → [1,C], signed square root (inputs are ≥ 0 after ReLU, so Sqrt), unit L2 length.
    private static void Block(Stream graph, string pooled, string prefix)
    {
        Node(graph, "Flatten", [pooled], prefix + "_flat", Int("axis", 1));
        Node(graph, "Sqrt", [prefix + "_flat"], prefix + "_sqrt");
        Node(graph, "LpNormalization", [prefix + "_sqrt"], prefix + "_l2", Int("axis", 1), Int("p", 2));
    }

    private static void Node(Stream graph, string op, string[] inputs, string output, params byte[][] attributes)
    {
        var node = new MemoryStream();
        foreach (var input in inputs)
        {
            WriteString(node, 1, input);
        }

        WriteString(node, 2, output);
        WriteString(node, 3, output + "_node");
        WriteString(node, 4, op);
        foreach (var attribute in attributes)
        {
            WriteBytes(node, 5, attribute);
        }

        WriteBytes(graph, GraphNodeField, node.ToArray());
    }

    // AttributeProto { name = 1, i = 3, type = 20 (INT = 2) }.
    private static byte[] Int(string name, long value)
    {
        var attribute = new MemoryStream();
        WriteString(attribute, 1, name);
        WriteVarintField(attribute, 3, (ulong)value);
        WriteVarintField(attribute, 20, 2);
        return attribute.ToArray();
    }

    // ValueInfoProto { name = 1, type = 2 { tensor_type = 1 { elem_type = 1 (FLOAT), shape = 2 { dim = 1 { dim_value = 1 } x2 } } } }:
    // [1, 768], so hosts that read the declared shape (ML.NET's OnnxTransformer) know the vector's size.
    private static byte[] ValueInfo(string name)
    {
        var shape = new MemoryStream();
        foreach (var size in new[] { 1, FeatureCount })
        {
            var dim = new MemoryStream();
            WriteVarintField(dim, 1, (ulong)size);
            WriteBytes(shape, 1, dim.ToArray());
        }

        var tensor = new MemoryStream();
        WriteVarintField(tensor, 1, 1);
        WriteBytes(tensor, 2, shape.ToArray());
        var type = new MemoryStream();
        WriteBytes(type, 1, tensor.ToArray());
        var info = new MemoryStream();
        WriteString(info, 1, name);
        WriteBytes(info, 2, type.ToArray());
        return info.ToArray();
    }

    private static void WriteString(Stream stream, int field, string value) => WriteBytes(stream, field, Encoding.UTF8.GetBytes(value));

    private static void WriteBytes(Stream stream, int field, byte[] value)
    {
        WriteVarint(stream, ((ulong)field << 3) | 2);
        WriteVarint(stream, (ulong)value.Length);
        stream.Write(value);
    }

    private static void WriteVarintField(Stream stream, int field, ulong value)
    {
        WriteVarint(stream, (ulong)field << 3);
        WriteVarint(stream, value);
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }

    private static ulong ReadVarint(byte[] data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("Malformed varint in the ONNX model.");
    }

    private static void Skip(byte[] data, ref int position, int wire)
    {
        switch (wire)
        {
            case 0:
                ReadVarint(data, ref position);
                break;
            case 1:
                position += 8;
                break;
            case 2:
                var length = (int)ReadVarint(data, ref position);
                position += length;
                break;
            case 5:
                position += 4;
                break;
            default:
                throw new InvalidDataException($"Unsupported protobuf wire type {wire} in the ONNX model.");
        }
    }
}
