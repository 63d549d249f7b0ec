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
    /// (<see cref="ResNetFeaturizer.VersionV2Int8"/>), so a change here is a new space.
    /// </summary>
    public const string Recipe = "qdq-u8s8-percentile99.99-synthetic64-seed15.v1";

    internal const int CalibrationPictureCount = 64;
    internal const RangeMethod Method = RangeMethod.Percentile;
    internal const double Percentile = 99.99;

    private static readonly Lock Gate = new();

    // Per process: the inputs' hash of each backbone file, and the bytes produced for each inputs
    // hash - a process with several data directories (the test hosts) quantizes once, not once each.
    private static readonly Dictionary<string, string> Hashes = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, byte[]> Produced = new(StringComparer.Ordinal);

    /// <summary>The quantized backbone (input <c>Input247</c>, the same tensor names as the FP32 one): its path, produced first if need be.</summary>
    public static string Ensure(string backbonePath, string directory, Func<byte[], float[]> prepare)
    {
        lock (Gate)
        {
            if (!Hashes.TryGetValue(backbonePath, out var inputs))
            {
                Hashes[backbonePath] = inputs = InputsHash(backbonePath);
            }

            var path = Path.Combine(directory, $"resnet18-int8-{inputs[..16]}.onnx");
            if (IsIntact(path))
            {
                return path;
            }

            if (!Produced.TryGetValue(inputs, out var bytes))
            {
                Produced[inputs] = bytes = Produce(backbonePath, prepare);
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

    /// <summary>Quantizes the FP32 backbone, calibrated on <see cref="CalibrationPictures"/>.</summary>
    internal static byte[] Produce(string backbonePath, Func<byte[], float[]> prepare) =>
        Produce(backbonePath, prepare, Method, Percentile, CalibrationPictureCount, _ => []);

    /// <summary>A variant of the recipe (the benchmark's candidates): range method, pictures, and the convs kept FP32, chosen from the network.</summary>
    internal static byte[] Produce(string backbonePath, Func<byte[], float[]> prepare, RangeMethod method, double percentile, int pictures, Func<ModelProto, IEnumerable<string>> fp32Convs)
    {
        var network = ModelProto.Parser.ParseFrom(File.ReadAllBytes(backbonePath));
        var calibration = CalibrationPictures.Create(pictures).Select(prepare).ToList();
        long[] shape = [1, 3, ResNetFeaturizer.Size, ResNetFeaturizer.Size];
        var keep = fp32Convs(network).ToHashSet(StringComparer.Ordinal);
        return QdqQuantizer.Quantize(network, calibration, shape, method, percentile, keep).ToByteArray();
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

    private static string InputsHash(string backbonePath)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(backbonePath));
        hash.AppendData(Encoding.UTF8.GetBytes(Recipe));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
