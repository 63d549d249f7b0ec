using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using Google.Protobuf;
using Microsoft.ML;
using Onnx;

namespace DiyMl.Infrastructure.Ml.Onnx;

/// <summary>
/// Writes a stored model as one self-contained ONNX file (see <see cref="IOnnxModelExporter"/>).
/// The head's numbers are read from the stored ML.NET head and the graph is rebuilt around them,
/// so the file computes what the portal computes; a head it cannot express is refused, never approximated.
/// </summary>
public sealed class OnnxModelExporter(IBlobStore blobs, Lazy<ResNetFeaturizer> resnet) : IOnnxModelExporter
{
    public const string LabelsKey = "labels";

    public async Task ExportAsync(ModelHandle model, Stream destination, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(model.ArtifactSha256, ct)
            ?? throw new NotFoundException("Model file", model.ModelId);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        buffer.Position = 0;

        var temperature = Temperature(buffer);
        buffer.Position = 0;
        var (metadata, head) = ModelPackage.Read(new MLContext(seed: 0), buffer);
        var proto = Build(metadata, head, temperature);
        ct.ThrowIfCancellationRequested();
        proto.WriteTo(destination);
        await destination.FlushAsync(ct);
    }

    private ModelProto Build(ModelMetadata metadata, ITransformer head, float temperature)
    {
        try
        {
            var linear = LinearHead.Read(head, metadata.FeatureCount, metadata.Classes.Count, temperature);
            if (metadata.Featurizer is { } featureSpace)
            {
                var recipe = FeatureRecipe.For(featureSpace) ?? throw new OnnxExportNotSupportedException($"its feature space '{featureSpace}' has no ONNX recipe");
                return Describe(ResNetOnnxGraph.Build(resnet.Value.ModelDirectory, recipe, linear, resnet.Value.BackboneFor(featureSpace)), metadata, ResNetFeaturizer.Size, recipe.ResizeRule);
            }

            var rule = OnnxInput.CentreCropRule(metadata.PixelSize) + (metadata.Colour ? "" : " The file turns the pixels gray itself.");
            return Describe(PixelOnnxGraph.Build(metadata.PixelSize, metadata.Colour, linear), metadata, metadata.PixelSize, rule);
        }
        catch (OnnxExportNotSupportedException ex)
        {
            throw new DomainValidationException("format", ex.Message);
        }
    }

    /// <summary>
    /// The calibration temperature of model.json (absent before calibration existed: 1). Read
    /// here by name rather than through <see cref="ModelMetadata"/>, so packages written with or
    /// without the field export alike.
    /// </summary>
    private static float Temperature(Stream package)
    {
        using var zip = new System.IO.Compression.ZipArchive(package, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
        using var stream = zip.GetEntry("model.json")?.Open();
        if (stream is null)
        {
            return 1;
        }

        try
        {
            using var json = JsonDocument.Parse(stream);
            return json.RootElement.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetSingle() : 1;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The model file is damaged: {ex.Message}", ex);
        }
    }

    private static ModelProto Describe(ModelProto proto, ModelMetadata metadata, int size, string resize)
    {
        // IR 4 lets constants live outside the graph inputs; the operators stay at the backbone's opset 8.
        proto.IrVersion = Math.Max(proto.IrVersion, 4);
        proto.ProducerName = "DIY ML";
        proto.DocString = $"Image classifier ({metadata.ModelType}). Input 'image': uint8 [1,{size},{size},3] RGB. {resize} Output 'probabilities': float [1,{metadata.Classes.Count}] in the order of the 'labels' metadata.";
        proto.MetadataProps.Clear();
        Add(proto, LabelsKey, JsonSerializer.Serialize(metadata.Classes));
        Add(proto, "input", $"image: uint8 [1,{size},{size},3], RGB, values 0-255");
        Add(proto, "resize", resize);
        Add(proto, "output", "probabilities: float [1,C], softmax over the classes in 'labels' order");
        Add(proto, "model_type", metadata.ModelType);
        if (metadata.Featurizer is { } featurizer)
        {
            Add(proto, "feature_space", featurizer);
        }

        return proto;
    }

    private static void Add(ModelProto proto, string key, string value) =>
        proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}
