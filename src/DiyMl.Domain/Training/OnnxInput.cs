using System.Globalization;

namespace DiyMl.Domain.Training;

/// <summary>
/// What a model's ONNX file takes as input, in words a person can follow: the square size and
/// how to resize a picture to it the way the portal does. One source for the export's metadata
/// and the download dialog, so the two never tell different stories.
/// </summary>
public sealed record OnnxInput(bool Available, int Size, bool Letterbox, bool Grayscale)
{
    public const string NotAvailable = "This model type cannot be exported to ONNX yet; use the ML.NET zip.";

    /// <summary>Transfer models take 224 x 224; pixel models their own size; LightGBM heads cannot be exported (trees are not in the graph yet).</summary>
    public static OnnxInput For(string modelTypeId, IReadOnlyDictionary<string, double> parameters, string? featureSpace) => modelTypeId switch
    {
        ModelCatalog.Pixels => new OnnxInput(true, (int)parameters.GetValueOrDefault("size", 28), false, parameters.GetValueOrDefault("colour", 0) < 1),
        ModelCatalog.ResNetLightGbm => new OnnxInput(false, 224, false, false),
        _ => new OnnxInput(true, 224, IsLetterbox(featureSpace), false),
    };

    /// <summary>Feature spaces from v2 on show the whole picture on white; v1 cut out the centre square.</summary>
    public static bool IsLetterbox(string? featureSpace) => featureSpace?.Contains("letterbox", StringComparison.Ordinal) == true;

    public string ResizeRule => Letterbox ? LetterboxRule(Size) : CentreCropRule(Size);

    public static string CentreCropRule(int size) => string.Format(CultureInfo.InvariantCulture,
        "Turn the picture upright (EXIF), scale it so its shorter side is {0} pixels (high-quality filter) and cut out the centre {0} x {0} square; pass its RGB bytes, row by row.", size);

    public static string LetterboxRule(int size) => string.Format(CultureInfo.InvariantCulture,
        "Turn the picture upright (EXIF), lay it on white where it is transparent, scale it so its longer side is {0} pixels (high-quality filter) and centre it on a white {0} x {0} square (offset (width difference) / 2, (height difference) / 2, rounded down); pass its RGB bytes, row by row.", size);
}
