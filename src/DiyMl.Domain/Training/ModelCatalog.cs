using DiyMl.Domain.Common;

namespace DiyMl.Domain.Training;

/// <summary>
/// The model types a person can pick, and the one rule for their parameters: unknown names and
/// out-of-range values are refused with the field named; missing ones take their defaults.
/// </summary>
public static class ModelCatalog
{
    public const string ResNetLbfgs = "resnet18-lbfgs";
    public const string ResNetLightGbm = "resnet18-lightgbm";
    public const string Pixels = "pixels";

    // Parameters every model type shares.
    public const string ValidationSplit = "validationSplit";
    public const string Seed = "seed";
    public const string AugmentFlip = "augmentFlip";

    private static readonly ModelParameter[] Common =
    [
        new(ValidationSplit, "Validation share", "Share of each class's images kept aside to measure accuracy.", ParameterType.Number, 0.2, 0.05, 0.5),
        new(Seed, "Random seed", "The same seed on the same images gives the same split and the same model.", ParameterType.Integer, 42, 0, int.MaxValue, Advanced: true),
        new(AugmentFlip, "Add mirrored copies", "Also train on left-right mirrored copies of each training image.", ParameterType.Boolean, 0, 0, 1, Advanced: true),
    ];

    public static IReadOnlyList<ModelType> All { get; } =
    [
        new(ResNetLbfgs,
            "Image transfer (ResNet18 + logistic regression)",
            "A network pre-trained on millions of photos describes each whole picture with 768 numbers from two of its stages; a logistic regression learns your classes from them. Its regularization and how sure it may say it is are chosen automatically on your own training images, and the final model learns from all your pictures.",
            "Photos and colour pictures of objects, animals, plants, products.",
            "About 2–4 seconds per 100 new images; retraining on the same images takes about a second.",
            IsDefault: true,
            [
                new("l2", "Regularization (L2)", "Higher values make a simpler, more cautious model. 0 lets DIY ML choose by cross-validation.", ParameterType.Number, 0, 0, 100),
                new("iterations", "Iterations", "Upper limit on optimisation steps.", ParameterType.Integer, 100, 10, 1000, Advanced: true),
                .. Common,
            ]),
        new(ResNetLightGbm,
            "Image transfer (ResNet18 + LightGBM)",
            "The same pre-trained image features, with a gradient-boosted tree ensemble learning your classes.",
            "Larger datasets (hundreds of images per class) where classes differ in subtle combinations of features.",
            "Like the logistic regression, plus a few seconds of tree building.",
            IsDefault: false,
            [
                new("trees", "Trees", "Number of boosting rounds.", ParameterType.Integer, 100, 10, 1000),
                new("leaves", "Leaves per tree", "More leaves fit finer detail and overfit sooner.", ParameterType.Integer, 16, 2, 256),
                new("learningRate", "Learning rate", "Smaller is slower and steadier.", ParameterType.Number, 0.1, 0.001, 1),
                .. Common,
            ]),
        new(Pixels,
            "Fast pixel model",
            "Shrinks each image to a small square of pixels and learns directly from them. No pre-trained network.",
            "Small, simple, centred images: digits, icons, symbols, grayscale clothing thumbnails.",
            "Seconds, even for thousands of images.",
            IsDefault: false,
            [
                new("size", "Image size (pixels)", "Images are resized to size × size before learning.", ParameterType.Integer, 28, 8, 64),
                new("colour", "Use colour", "Off turns images to grayscale first.", ParameterType.Boolean, 0, 0, 1),
                new("iterations", "Iterations", "Upper limit on optimisation passes.", ParameterType.Integer, 100, 10, 1000, Advanced: true),
                .. Common,
            ]),
    ];

    public static ModelType Default => All.Single(t => t.IsDefault);

    public static ModelType? Find(string? id) => All.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));

    /// <summary>Checks a request's parameters and fills in defaults; throws naming each bad field.</summary>
    public static (ModelType Type, IReadOnlyDictionary<string, double> Parameters) Resolve(string? modelTypeId, IReadOnlyDictionary<string, double>? parameters)
    {
        var type = Find(modelTypeId) ?? throw new DomainValidationException(
            "modelType", $"Unknown model type '{modelTypeId}'. Choose one of: {string.Join(", ", All.Select(t => t.Id))}.");
        var errors = new Dictionary<string, string[]>();
        var resolved = type.Parameters.ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
        foreach (var (name, value) in parameters ?? new Dictionary<string, double>())
        {
            var spec = type.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
            if (spec is null)
            {
                errors[$"parameters.{name}"] = [$"'{name}' is not a parameter of {type.Name}."];
                continue;
            }

            var problem = Check(spec, value);
            if (problem is not null)
            {
                errors[$"parameters.{name}"] = [problem];
                continue;
            }

            resolved[name] = value;
        }

        return errors.Count > 0 ? throw new DomainValidationException(errors) : (type, resolved);
    }

    private static string? Check(ModelParameter spec, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return $"{spec.Label} must be a number.";
        }

        if (spec.Type is ParameterType.Integer or ParameterType.Boolean && value != Math.Floor(value))
        {
            return $"{spec.Label} must be a whole number.";
        }

        return value < spec.Min || value > spec.Max
            ? $"{spec.Label} must be between {spec.Min.ToString(System.Globalization.CultureInfo.InvariantCulture)} and {spec.Max.ToString(System.Globalization.CultureInfo.InvariantCulture)}."
            : null;
    }
}
