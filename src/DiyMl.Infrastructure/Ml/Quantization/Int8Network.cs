using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Onnx;

namespace DiyMl.Infrastructure.Ml.Quantization;

/// <summary>
/// The INT8 ResNet18, produced once from the package's <c>ResNet18.onnx</c> and kept under the data
/// directory: produced at first use (the warm-up does it in the background) rather than at build
/// time, because the quantizer needs ONNX Runtime and the FP32 network loaded (a build step would
/// make every build 15 s longer and ship a second 16 MB file), and because a file in the data
/// directory travels with the data: models trained on it keep predicting on the very same bytes
/// after a backup is restored elsewhere. The file is named after the hash of everything it is made
/// from (network, recipe), and its own SHA-256 sits beside it; a missing or corrupt file is produced
/// again, and the same inputs give the same bytes.
/// </summary>
public static class Int8Network
{
    /// <summary>
    /// What the quantizer does, in words; part of the feature space's name
    /// (<see cref="ResNetFeaturizer.VersionV2Int8"/>), so a change here is a new space. Weights use
    /// 7 bits (−63..63): ONNX Runtime's AVX2 and AVX-512 integer kernels without VNNI multiply
    /// uint8 activations by int8 weights in pairs summed into 16 bits, which saturates for 8-bit
    /// weights (255·127·2 &gt; 32767) and bent the features (mean cosine to FP32 0.897 on an AVX2
    /// EPYC); with 7 bits the pair fits (255·63·2 = 32130), so every CPU computes the same integers.
    /// </summary>
    public const string Recipe = "qdq-u8s7-percentile99.99-synthetic64-seed15.v2";

    /// <summary>
    /// The first recipe (8-bit weights): exact on VNNI cores only. Models trained in its space keep
    /// predicting on its network (<see cref="ResNetFeaturizer.VersionV2Int8V1"/>).
    /// </summary>
    public const string RecipeV1 = "qdq-u8s8-percentile99.99-synthetic64-seed15.v1";

    /// <summary>Weight bits of a recipe this version knows.</summary>
    internal static int WeightBits(string recipe) => recipe switch
    {
        Recipe => 7,
        RecipeV1 => 8,
        _ => throw new InvalidDataException($"Unknown INT8 recipe '{recipe}'."),
    };

    internal const int CalibrationPictureCount = 64;
    internal const RangeMethod Method = RangeMethod.Percentile;
    internal const double Percentile = 99.99;

    private static readonly Lock Gate = new();

    // Per process: the inputs' hash of each backbone file, and the bytes produced for each inputs
    // hash - a process with several data directories (the test hosts) quantizes once, not once each.
    private static readonly Dictionary<string, string> Hashes = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, byte[]> Produced = new(StringComparer.Ordinal);

    /// <summary>The quantized backbone (input <c>Input247</c>, the same tensor names as the FP32 one): its path, produced first if need be.</summary>
    public static string Ensure(string backbonePath, string directory, Func<byte[], float[]> prepare, string recipe = Recipe)
    {
        lock (Gate)
        {
            if (!Hashes.TryGetValue(backbonePath + "|" + recipe, out var inputs))
            {
                Hashes[backbonePath + "|" + recipe] = inputs = InputsHash(backbonePath, recipe);
            }

            var path = Path.Combine(directory, $"resnet18-int8-{inputs[..16]}.onnx");
            if (IsIntact(path))
            {
                return path;
            }

            if (!Produced.TryGetValue(inputs, out var bytes))
            {
                Produced[inputs] = bytes = Produce(backbonePath, prepare, recipe);
            }

            Directory.CreateDirectory(directory);
            var temporary = path + $".{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, bytes);
            File.WriteAllText(temporary + ".sha256", Sha256(bytes));
            File.Move(temporary + ".sha256", path + ".sha256", overwrite: true);
            File.Move(temporary, path, overwrite: true);
            return path;
        }
    }

    /// <summary>Quantizes the FP32 backbone by a recipe, calibrated on <see cref="CalibrationPictures"/>.</summary>
    internal static byte[] Produce(string backbonePath, Func<byte[], float[]> prepare, string recipe = Recipe) =>
        Produce(backbonePath, prepare, Method, Percentile, CalibrationPictureCount, _ => [], WeightBits(recipe));

    /// <summary>A variant of the recipe (the benchmark's candidates): range method, pictures, the convs kept FP32 (chosen from the network), weight bits.</summary>
    internal static byte[] Produce(string backbonePath, Func<byte[], float[]> prepare, RangeMethod method, double percentile, int pictures, Func<ModelProto, IEnumerable<string>> fp32Convs, int weightBits = 7)
    {
        var network = ModelProto.Parser.ParseFrom(File.ReadAllBytes(backbonePath));
        var calibration = CalibrationPictures.Create(pictures).Select(prepare).ToList();
        long[] shape = [1, 3, ResNetFeaturizer.Size, ResNetFeaturizer.Size];
        var keep = fp32Convs(network).ToHashSet(StringComparer.Ordinal);
        return QdqQuantizer.Quantize(network, calibration, shape, method, percentile, keep, weightBits).ToByteArray();
    }

    /// <summary>The network's first convolution (it reads the picture itself).</summary>
    internal static IEnumerable<string> FirstConv(ModelProto network) => [network.Graph.Node.First(n => n.OpType == "Conv").Name];

    /// <summary>The last <paramref name="count"/> convolutions in graph order (2: the last residual block's).</summary>
    internal static IEnumerable<string> LastConvs(ModelProto network, int count) => network.Graph.Node.Where(n => n.OpType == "Conv").TakeLast(count).Select(n => n.Name);

    private static bool IsIntact(string path)
    {
        try
        {
            return File.Exists(path) && File.Exists(path + ".sha256")
                && File.ReadAllText(path + ".sha256").Trim() == Sha256(File.ReadAllBytes(path));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string InputsHash(string backbonePath, string recipe)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(backbonePath));
        hash.AppendData(Encoding.UTF8.GetBytes(recipe));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
