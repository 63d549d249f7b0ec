using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;

namespace DiyMl.Infrastructure.Ml;

/// <summary>What a stored model says about itself, next to its ML.NET head.</summary>
internal sealed record ModelMetadata(
    int Format,
    string ModelType,
    string? Featurizer,
    IReadOnlyList<string> Classes,
    int PixelSize,
    bool Colour,
    int FeatureCount)
{
    public const int CurrentFormat = 1;

    /// <summary>
    /// Calibration: probabilities are the head's raised to 1/T and renormalised (softmax of the
    /// logits divided by T). Absent in models trained before calibration, which read as 1 (unchanged).
    /// </summary>
    public double Temperature { get; init; } = 1;

    [System.Text.Json.Serialization.JsonIgnore]
    public FeatureSpec Spec => new(Featurizer is not null, PixelSize, Colour, Featurizer);
}

/// <summary>
/// The stored form of a trained model: a small zip with <c>model.json</c> (metadata) and
/// <c>head.zip</c> (the ML.NET head saved with Model.Save). The ResNet backbone is not copied:
/// it ships with the application and the metadata names its version.
/// </summary>
internal static class ModelPackage
{
    private const string MetadataEntry = "model.json";
    private const string HeadEntry = "head.zip";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static byte[] Write(MLContext ml, ModelMetadata metadata, ITransformer head, DataViewSchema inputSchema)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var stream = zip.CreateEntry(MetadataEntry).Open())
            {
                JsonSerializer.Serialize(stream, metadata, Json);
            }

            using (var stream = zip.CreateEntry(HeadEntry, CompressionLevel.NoCompression).Open())
            {
                // Model.Save writes a zip already; compressing it twice gains nothing.
                ml.Model.Save(head, inputSchema, stream);
            }
        }

        return output.ToArray();
    }

    public static (ModelMetadata Metadata, ITransformer Head) Read(MLContext ml, Stream package)
    {
        try
        {
            using var zip = new ZipArchive(package, ZipArchiveMode.Read);
            var metaEntry = zip.GetEntry(MetadataEntry) ?? throw new InvalidDataException($"The model file has no {MetadataEntry}.");
            ModelMetadata metadata;
            using (var stream = metaEntry.Open())
            {
                metadata = JsonSerializer.Deserialize<ModelMetadata>(stream, Json) ?? throw new InvalidDataException("The model metadata is empty.");
            }

            if (metadata.Format != ModelMetadata.CurrentFormat)
            {
                throw new InvalidDataException($"The model file format {metadata.Format} is not supported by this version.");
            }

            if (metadata.Featurizer is not null && !ResNetFeaturizer.IsKnown(metadata.Featurizer))
            {
                throw new InvalidDataException($"The model was trained with featurizer '{metadata.Featurizer}', this version knows '{ResNetFeaturizer.VersionV1}' and '{ResNetFeaturizer.VersionV2}'. Retrain it.");
            }

            if (!(metadata.Temperature > 0) || double.IsInfinity(metadata.Temperature))
            {
                throw new InvalidDataException($"The model's calibration temperature {metadata.Temperature} is not usable.");
            }

            var headEntry = zip.GetEntry(HeadEntry) ?? throw new InvalidDataException($"The model file has no {HeadEntry}.");
            using var head = new MemoryStream();
            using (var stream = headEntry.Open())
            {
                stream.CopyTo(head);
            }

            head.Position = 0;
            return (metadata, ml.Model.Load(head, out _));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"The model file is damaged: {ex.Message}", ex);
        }
    }
}
