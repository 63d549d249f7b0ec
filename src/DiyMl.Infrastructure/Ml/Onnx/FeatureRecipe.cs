using DiyMl.Domain.Training;

namespace DiyMl.Infrastructure.Ml.Onnx;

/// <summary>
/// One backbone tensor that becomes part of the feature vector: optionally global-average pooled
/// (a [1,C,H,W] stage output), optionally signed-square-rooted, optionally scaled to unit length.
/// </summary>
internal sealed record FeatureTap(string Tensor, bool GlobalAveragePool = false, bool SignedSqrt = false, bool L2Normalise = false);

/// <summary>
/// How a ResNet feature space turns the network's tensors into the vector the head reads: the
/// taps, concatenated in order, then optionally scaled to unit length as a whole. A new feature
/// space is a new recipe here, not a new graph builder. <see cref="ResizeRule"/> is the sentence
/// the download dialog and the file's metadata give the person who feeds the file pictures.
/// </summary>
internal sealed record FeatureRecipe(string FeatureSpace, IReadOnlyList<FeatureTap> Taps, bool L2NormaliseAll, float Epsilon, string ResizeRule)
{
    /// <summary>v1: the 512 globally pooled values of the last stage, as the network outputs them.</summary>
    // The version strings are spelled out: ResNetFeaturizer.Version names whichever space new models use.
    public static readonly FeatureRecipe ResNetV1 = new(
        "resnet18-0.23.1+skia-isocrop-high.v1", [new FeatureTap("Pooling395_Output_0")], L2NormaliseAll: false, Epsilon: 0, OnnxInput.CentreCropRule(ResNetFeaturizer.Size));

    /// <summary>
    /// v2 (mlq's design, /work/briefs/feature-space-v2.md, 23:40 UTC): stage 3 (<c>ReLU347</c>,
    /// 256 channels) and stage 4 (the network's own pool of <c>ReLU393</c>, 512) each globally
    /// pooled, signed-square-rooted and scaled to unit length, concatenated → 768 values; the
    /// picture is letterboxed on white instead of centre-cropped.
    /// </summary>
    public static readonly FeatureRecipe ResNetV2 = new(
        "resnet18-0.23.1+v2-letterbox-white-s3s4-sqrt-l2",
        [
            new FeatureTap("ReLU347", GlobalAveragePool: true, SignedSqrt: true, L2Normalise: true),
            new FeatureTap("Pooling395_Output_0", SignedSqrt: true, L2Normalise: true),
        ],
        L2NormaliseAll: false,
        Epsilon: 1e-12f,
        OnnxInput.LetterboxRule(ResNetFeaturizer.Size));

    /// <summary>v2 on the INT8 network: the same taps; the export embeds the quantized backbone the portal runs.</summary>
    /// The quantizer drops ReLU nodes (the uint8 clamp is the ReLU), so stage 3 is named by its tensor, which keeps its name.
    public static readonly FeatureRecipe ResNetV2Int8 = ResNetV2 with
    {
        FeatureSpace = ResNetFeaturizer.VersionV2Int8,
        Taps = [ResNetV2.Taps[0] with { Tensor = FeatureGraph.Stage3 }, ResNetV2.Taps[1]],
        Int8 = true,
    };

    /// <summary>The first INT8 space (8-bit weights): older models export on the network they were trained on.</summary>
    public static readonly FeatureRecipe ResNetV2Int8V1 = ResNetV2Int8 with { FeatureSpace = ResNetFeaturizer.VersionV2Int8V1 };

    private static readonly IReadOnlyDictionary<string, FeatureRecipe> Known = new Dictionary<string, FeatureRecipe>(StringComparer.Ordinal)
    {
        [ResNetV1.FeatureSpace] = ResNetV1,
        [ResNetV2.FeatureSpace] = ResNetV2,
        [ResNetV2Int8.FeatureSpace] = ResNetV2Int8,
        [ResNetV2Int8V1.FeatureSpace] = ResNetV2Int8V1,
    };

    /// <summary>Whether the space runs on the INT8 network (<see cref="Quantization.Int8Network"/>) rather than the package's FP32 one.</summary>
    public bool Int8 { get; init; }

    /// <summary>The recipe of a stored model's feature space, or null when this version cannot export it.</summary>
    public static FeatureRecipe? For(string featureSpace) => Known.GetValueOrDefault(featureSpace);
}
