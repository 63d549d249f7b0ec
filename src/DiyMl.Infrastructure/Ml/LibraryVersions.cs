using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;

namespace DiyMl.Infrastructure.Ml;

/// <summary>Library versions recorded with each trained model, for reproducibility.</summary>
internal static class LibraryVersions
{
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        ["ML.NET"] = Of(typeof(MLContext)),
        ["OnnxRuntime"] = Of(typeof(InferenceSession)),
        ["ResNet18 featurizer"] = Of(typeof(ResNet18Extension)),
        ["SkiaSharp"] = Of(typeof(SkiaSharp.SKBitmap)),
        ["featurizer"] = ResNetFeaturizer.Version,
    };

    private static string Of(Type type)
    {
        var version = type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? type.Assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
