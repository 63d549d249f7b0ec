using Microsoft.ML.OnnxRuntime;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Turns an image into ResNet18's 512 features, reproducing ML.NET's DnnFeaturizeImage pipeline
/// (ResizeImages 224 → ExtractPixels → ResNetPreprocess.onnx → ResNet18.onnx) without its
/// overhead: SkiaSharp decodes and resizes, and the preprocessing graph - which only reorders
/// RGB to BGR and subtracts a per-pixel ImageNet mean image - is folded into one loop here.
/// Two shared sessions (<see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe): one spreading each image over every core, for the latency of a single
/// prediction; and, for bulk featurization, one running each image on its caller's thread, so
/// one caller per core keeps every core busy - one image's decoding overlaps another's network
/// instead of an intra-op pool spinning while the caller decodes.
/// </summary>
public sealed class ResNetFeaturizer : IDisposable
{
    /// <summary>The feature space a model's head was fitted in: a model trained under another cannot be used.</summary>
    public const string Version = "resnet18-0.23.1+skia-isocrop-high.v1";

    /// <summary>
    /// Part of the feature-cache key: changes whenever any image's features could change. Turning
    /// EXIF-rotated pictures upright changed theirs (and no one else's), so cached features were
    /// dropped once while models, whose feature space is unchanged, stay usable.
    /// </summary>
    public const string CacheVersion = Version + "+exif-upright";
    public const int Size = 224;
    public const int FeatureCount = 512;
    private const int Plane = Size * Size;
    private static readonly long[] Shape = [1, 3, Size, Size];

    private readonly InferenceSession _session;
    private readonly Lazy<InferenceSession> _bulkSession;
    private readonly RunOptions _runOptions = new();
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly float[] _mean; // BGR planes, as the network expects them

    [ThreadStatic]
    private static float[]? t_input;

    public ResNetFeaturizer(string? modelDirectory = null)
    {
        ModelDirectory = modelDirectory ?? Path.Combine(AppContext.BaseDirectory, "DnnImageModels");
        var backbone = Path.Combine(ModelDirectory, "ResNet18Onnx", "ResNet18.onnx");
        var preprocess = Path.Combine(ModelDirectory, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        if (!File.Exists(backbone) || !File.Exists(preprocess))
        {
            throw new FileNotFoundException($"The ResNet18 model files are missing under '{ModelDirectory}' (they come from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package).");
        }

        _mean = ReadMeanImage(preprocess);
        _session = CreateSession(backbone, Environment.ProcessorCount);
        _bulkSession = new Lazy<InferenceSession>(() => CreateSession(backbone, 1));
        _inputName = _session.InputMetadata.Keys.Single();
        _outputName = _session.OutputMetadata.Keys.Single();
    }

    public string ModelDirectory { get; }

    /// <summary>
    /// Decodes, resizes and featurizes one image; throws <see cref="ImageDecodeException"/> naming
    /// it when it is not an image. <paramref name="bulk"/>: the caller is one of one-per-core
    /// parallel callers (training) rather than a lone request waiting for its answer.
    /// </summary>
    public float[] Featurize(ReadOnlySpan<byte> image, bool flip, string imageName, bool bulk = false)
    {
        var input = t_input ??= new float[3 * Plane];
        using (var bitmap = ImagePixels.DecodeSquare(image, Size, imageName))
        {
            Fill(bitmap.GetPixelSpan(), flip, input);
        }

        return RunNetwork(input, bulk);
    }

    /// <summary>The network alone on a prepared BGR, mean-subtracted input (also the benchmark's baseline).</summary>
    public float[] RunNetwork(float[] input, bool bulk = false)
    {
        var session = bulk ? _bulkSession.Value : _session;
        using var value = OrtValue.CreateTensorValueFromMemory(input, Shape);
        using var outputs = session.Run(_runOptions, [_inputName], [value], [_outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose()
    {
        _session.Dispose();
        if (_bulkSession.IsValueCreated)
        {
            _bulkSession.Value.Dispose();
        }

        _runOptions.Dispose();
    }

    private static InferenceSession CreateSession(string backbone, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        return new InferenceSession(backbone, options);
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
