using DiyMl.Domain.Training;
using Microsoft.ML.Data;

namespace DiyMl.Infrastructure.Ml;

/// <summary>How a model type turns an image into numbers: ResNet18 features or a small square of pixels.</summary>
internal sealed record FeatureSpec(bool Transfer, int PixelSize, bool Colour)
{
    public static FeatureSpec For(string modelTypeId, IReadOnlyDictionary<string, double> parameters) =>
        modelTypeId == ModelCatalog.Pixels
            ? new FeatureSpec(false, (int)parameters["size"], parameters["colour"] >= 1)
            : new FeatureSpec(true, ResNetFeaturizer.Size, true);

    public int FeatureCount => Transfer ? ResNetFeaturizer.FeatureCount : PixelSize * PixelSize * (Colour ? 3 : 1);

    /// <summary>
    /// The feature column's exact type. For transfer models it is the shape ML.NET's
    /// DnnFeaturizeImage produces (1x512x1x1), so a head fitted here also plugs behind ML.NET's
    /// own featurizer in the exported pipeline without a schema mismatch; likewise pixel models
    /// use ExtractPixels' planes x height x width shape.
    /// </summary>
    public VectorDataViewType ColumnType => Transfer
        ? new VectorDataViewType(NumberDataViewType.Single, 1, ResNetFeaturizer.FeatureCount, 1, 1)
        : new VectorDataViewType(NumberDataViewType.Single, Colour ? 3 : 1, PixelSize, PixelSize);
}
