using DiyMl.Infrastructure.Ml.Quantization;
using Microsoft.ML.OnnxRuntime;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Turns an image into ResNet18 features (v1: 512, v2: 768, on the FP32 network or on the INT8 one
/// of <see cref="Int8Network"/>), v1 reproducing ML.NET's DnnFeaturizeImage pipeline
/// (ResizeImages 224 → ExtractPixels → ResNetPreprocess.onnx → ResNet18.onnx) without its
/// overhead: SkiaSharp decodes and resizes, and the preprocessing graph - which only reorders
/// RGB to BGR and subtracts a per-pixel ImageNet mean image - is folded into one loop here.
/// Per network, two shared sessions (<see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe): one spreading each image over every core, for the latency of a single
/// prediction; and, for bulk featurization, one running each image on its caller's thread, so
/// one caller per core keeps every core busy - one image's decoding overlaps another's network
/// instead of an intra-op pool spinning while the caller decodes.
/// </summary>
public sealed class ResNetFeaturizer : IDisposable
{
    /// <summary>
    /// Feature space v1 (models trained before v2 keep it, and predict exactly as they did): the
    /// centre crop, the last stage's 512 pooled features. A model names the space its head was
    /// fitted in; a space this version does not know cannot be used.
    /// </summary>
    public const string VersionV1 = "resnet18-0.23.1+skia-isocrop-high.v1";

    /// <summary>
    /// Feature space v2 (/work/briefs/feature-space-v2.md, <see cref="FeatureGraph"/>): the whole
    /// picture on white, stage 3 and stage 4 pooled, square-rooted and unit length, 768 features.
    /// </summary>
    public const string VersionV2 = "resnet18-0.23.1+v2-letterbox-white-s3s4-sqrt-l2";

    /// <summary>
    /// Feature space v2 computed by the INT8 network (<see cref="Int8Network"/>): the same recipe,
    /// features within a cosine of ~0.99 of v2's but not equal, so its own space - a head fitted on
    /// one is never fed the other, and the cache keeps them apart.
    /// </summary>
    public const string VersionV2Int8 = VersionV2 + "+int8-" + Int8Network.Recipe;

    /// <summary>
    /// The first INT8 space (8-bit weights, <see cref="Int8Network.RecipeV1"/>): models trained in it
    /// keep predicting on its network; new ones are trained in <see cref="VersionV2Int8"/>.
    /// </summary>
    public const string VersionV2Int8V1 = VersionV2 + "+int8-" + Int8Network.RecipeV1;

    /// <summary>The FP32 feature space new models are trained in with <c>Ml:Precision</c> = Fp32.</summary>
    public const string Version = VersionV2;

    /// <summary>The feature space new models are trained in at a precision.</summary>
    public static string VersionFor(NetworkPrecision precision) => precision == NetworkPrecision.Int8 ? VersionV2Int8 : VersionV2;

    public const int Size = 224;
    public const int FeatureCountV1 = 512;
    public const int FeatureCountV2 = FeatureGraph.FeatureCount;
    private const int Plane = Size * Size;
    private static readonly long[] Shape = [1, 3, Size, Size];

    private readonly Network _fp32;
    private readonly Network _int8;
    private readonly Network _int8V1;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _mean; // BGR planes, as the network expects them

    [ThreadStatic]
    private static float[]? t_input;

    /// <param name="modelDirectory">Where the package's ONNX files are (default: next to the app).</param>
    /// <param name="networkDirectory">Where the INT8 network is produced and kept (the portal passes its data directory's <c>networks</c> folder).</param>
    public ResNetFeaturizer(string? modelDirectory = null, string? networkDirectory = null)
    {
        ModelDirectory = modelDirectory ?? Path.Combine(AppContext.BaseDirectory, "DnnImageModels");
        var backbone = Path.Combine(ModelDirectory, "ResNet18Onnx", "ResNet18.onnx");
        var preprocess = Path.Combine(ModelDirectory, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        if (!File.Exists(backbone) || !File.Exists(preprocess))
        {
            throw new FileNotFoundException($"The ResNet18 model files are missing under '{ModelDirectory}' (they come from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package).");
        }

        _mean = ReadMeanImage(preprocess);

        BackbonePath = backbone;
        NetworkDirectory = networkDirectory ?? Path.Combine(Path.GetTempPath(), "diyml-networks");

        // One FP32 graph serves v1 and v2: it keeps v1's output and adds v2's, so a v1 model's
        // features come from the same network without a second copy of its weights in memory.
        // Each network loads on first use: a portal whose models are all INT8 never holds the FP32 one.
        _fp32 = new Network(() => FeatureGraph.Build(backbone));
        _int8 = new Network(() => FeatureGraph.Build(Int8BackbonePath()));
        _int8V1 = new Network(() => FeatureGraph.Build(BackboneFor(VersionV2Int8V1)));
    }

    /// <summary>The package's FP32 <c>ResNet18.onnx</c>.</summary>
    public string BackbonePath { get; }

    /// <summary>Where <see cref="Int8Network"/> keeps the quantized network.</summary>
    public string NetworkDirectory { get; }

    /// <summary>The quantized backbone's path, produced first if it is missing or corrupt.</summary>
    public string Int8BackbonePath() => Int8Network.Ensure(BackbonePath, NetworkDirectory, PrepareInput);

    /// <summary>The backbone (no feature tail) a ResNet feature space runs on.</summary>
    public string BackboneFor(string featurizer) => featurizer switch
    {
        VersionV2Int8 => Int8BackbonePath(),
        VersionV2Int8V1 => Int8Network.Ensure(BackbonePath, NetworkDirectory, PrepareInput, Int8Network.RecipeV1),
        _ => BackbonePath,
    };

    /// <summary>The backbone with the v2 feature nodes and output, as a space runs it (<see cref="FeatureGraph"/>).</summary>
    public byte[] FeatureGraphFor(string featurizer) => FeatureGraph.Build(BackboneFor(featurizer));

    /// <summary>
    /// Part of the feature-cache key: changes whenever any image's features in that space could
    /// change. Turning EXIF-rotated pictures upright changed v1's (and no one else's), so cached
    /// features were dropped once while models, whose feature space is unchanged, stay usable.
    /// </summary>
    public static string CacheVersion(string featurizer) => featurizer == VersionV1 ? VersionV1 + "+exif-upright" : featurizer;

    /// <summary>Whether a space's features come from the INT8 network.</summary>
    public static bool IsInt8(string featurizer) => featurizer is VersionV2Int8 or VersionV2Int8V1;

    /// <summary>How many features a space has; throws for a space this version does not know.</summary>
    public static int FeatureCount(string featurizer) => featurizer switch
    {
        VersionV1 => FeatureCountV1,
        VersionV2 or VersionV2Int8 or VersionV2Int8V1 => FeatureCountV2,
        _ => throw new InvalidDataException($"Unknown feature space '{featurizer}'."),
    };

    public static bool IsKnown(string featurizer) => featurizer is VersionV1 or VersionV2 or VersionV2Int8 or VersionV2Int8V1;

    /// <summary>
    /// The v2 picture as the network sees it before preprocessing: 224×224 RGB bytes, row by row
    /// (HWC) - what the ONNX export takes as its input <c>image</c>.
    /// </summary>
    public static byte[] PreparePixels(ReadOnlySpan<byte> image, string imageName)
    {
        using var bitmap = ImagePixels.DecodeLetterbox(image, Size, imageName);
        var rgba = bitmap.GetPixelSpan();
        var rgb = new byte[Plane * 3];
        for (var i = 0; i < Plane; i++)
        {
            rgb[3 * i] = rgba[4 * i];
            rgb[(3 * i) + 1] = rgba[(4 * i) + 1];
            rgb[(3 * i) + 2] = rgba[(4 * i) + 2];
        }

        return rgb;
    }

    public string ModelDirectory { get; }

    /// <summary>
    /// Decodes, resizes and featurizes one image; throws <see cref="ImageDecodeException"/> naming
    /// it when it is not an image. <paramref name="bulk"/>: the caller is one of one-per-core
    /// parallel callers (training) rather than a lone request waiting for its answer.
    /// </summary>
    public float[] Featurize(ReadOnlySpan<byte> image, bool flip, string imageName, bool bulk = false, string featurizer = Version)
    {
        var v1 = featurizer == VersionV1;
        if (!IsKnown(featurizer))
        {
            throw new InvalidDataException($"Unknown feature space '{featurizer}'.");
        }

        var input = t_input ??= new float[3 * Plane];
        using (var bitmap = v1 ? ImagePixels.DecodeSquare(image, Size, imageName) : ImagePixels.DecodeLetterbox(image, Size, imageName))
        {
            Fill(bitmap.GetPixelSpan(), flip, input);
        }

        return Run(NetworkFor(featurizer), input, bulk, v1 ? FeatureGraph.PooledV1 : FeatureGraph.Output);
    }

    /// <summary>v2 features (FP32 or INT8 network) of pixels already prepared by <see cref="PreparePixels"/> (RGB, HWC).</summary>
    public float[] FeaturizePrepared(ReadOnlySpan<byte> rgb, string featurizer = VersionV2) =>
        Run(NetworkFor(featurizer), PrepareInput(rgb.ToArray()), false, FeatureGraph.Output);

    /// <summary>
    /// The network alone on a prepared BGR, mean-subtracted input (also the benchmark's baseline);
    /// <paramref name="int8"/> runs the quantized network instead of the FP32 one.
    /// </summary>
    public float[] RunNetwork(float[] input, bool bulk = false, string output = FeatureGraph.PooledV1, bool int8 = false) =>
        Run(int8 ? _int8 : _fp32, input, bulk, output);

    private Network NetworkFor(string featurizer) => featurizer switch
    {
        VersionV2Int8 => _int8,
        VersionV2Int8V1 => _int8V1,
        _ => _fp32,
    };

    private float[] Run(Network network, float[] input, bool bulk, string output)
    {
        var session = network.Session(bulk);
        using var value = OrtValue.CreateTensorValueFromMemory(input, Shape);
        using var outputs = session.Run(_runOptions, [FeatureGraph.Input], [value], [output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>224×224 RGB bytes (HWC) as the network's input: BGR planes minus the mean image.</summary>
    internal float[] PrepareInput(byte[] rgb)
    {
        var rgba = new byte[4 * Plane];
        for (var i = 0; i < Plane; i++)
        {
            rgba[4 * i] = rgb[3 * i];
            rgba[(4 * i) + 1] = rgb[(3 * i) + 1];
            rgba[(4 * i) + 2] = rgb[(3 * i) + 2];
            rgba[(4 * i) + 3] = 255;
        }

        var input = new float[3 * Plane];
        Fill(rgba, false, input);
        return input;
    }

    public void Dispose()
    {
        _fp32.Dispose();
        _int8.Dispose();
        _int8V1.Dispose();
        _runOptions.Dispose();
    }

    private void Fill(ReadOnlySpan<byte> rgba, bool flip, float[] input)
    {
        var mean = _mean;
        for (var y = 0; y < Size; y++)
        {
            var row = y * Size;
            for (var x = 0; x < Size; x++)
            {
                var source = 4 * (row + (flip ? Size - 1 - x : x));
                var i = row + x;
                input[i] = rgba[source + 2] - mean[i];
                input[Plane + i] = rgba[source + 1] - mean[Plane + i];
                input[(2 * Plane) + i] = rgba[source] - mean[(2 * Plane) + i];
            }
        }
    }

    // ResNetPreprocess.onnx is affine: out = bgr(in) - mean. Running it once on zeros yields -mean.
    private static float[] ReadMeanImage(string preprocessPath)
    {
        using var session = new InferenceSession(preprocessPath);
        using var zeros = OrtValue.CreateTensorValueFromMemory(new float[3 * Plane], Shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputMetadata.Keys.Single()], [zeros], [session.OutputMetadata.Keys.Single()]);
        var negated = outputs[0].GetTensorDataAsSpan<float>();
        var mean = new float[negated.Length];
        for (var i = 0; i < mean.Length; i++)
        {
            mean[i] = -negated[i];
        }

        return mean;
    }
}
