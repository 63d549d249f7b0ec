using DiyMl.Domain.Training;
using Microsoft.ML.Data;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// How a model type turns an image into numbers: ResNet18 features in a named feature space
/// (<see cref="Featurizer"/>: v1 for models trained before v2, v2 for new ones) or a small square of pixels.
/// </summary>
internal sealed record FeatureSpec(bool Transfer, int PixelSize, bool Colour, string? Featurizer = null)
{
    /// <summary>The features a NEW model of a type is trained on; <paramref name="precision"/> picks the ResNet network (<c>Ml:Precision</c>).</summary>
    public static FeatureSpec For(string modelTypeId, IReadOnlyDictionary<string, double> parameters, NetworkPrecision precision) =>
        modelTypeId == ModelCatalog.Pixels
            ? new FeatureSpec(false, (int)parameters["size"], parameters["colour"] >= 1)
            : new FeatureSpec(true, ResNetFeaturizer.Size, true, ResNetFeaturizer.VersionFor(precision));

    public bool IsV1 => Transfer && Featurizer == ResNetFeaturizer.VersionV1;

    public int FeatureCount => Transfer ? ResNetFeaturizer.FeatureCount(Featurizer!) : PixelSize * PixelSize * (Colour ? 3 : 1);

    /// <summary>
    /// The feature column's exact type. For v1 transfer models it is the shape ML.NET's
    /// DnnFeaturizeImage produces (1x512x1x1), so such a head also plugs behind ML.NET's own
    /// featurizer in the exported pipeline without a schema mismatch; v2 features are 1x768, the
    /// shape of the feature graph's output in the exported pipeline; pixel models use ExtractPixels' planes x height x width shape.
    /// </summary>
    public VectorDataViewType ColumnType => Transfer
        ? IsV1
            ? new VectorDataViewType(NumberDataViewType.Single, 1, ResNetFeaturizer.FeatureCountV1, 1, 1)
            : new VectorDataViewType(NumberDataViewType.Single, 1, FeatureCount)
        : new VectorDataViewType(NumberDataViewType.Single, Colour ? 3 : 1, PixelSize, PixelSize);
}
