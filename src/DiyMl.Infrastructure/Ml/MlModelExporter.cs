using System.Security.Cryptography;
using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml.Export;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// The self-contained ML.NET zip: ML.NET's own transforms (LoadImages → ResizeImages →
/// ExtractPixels → the ResNet graphs, or pixel extraction) in front of the stored head, so the
/// download works anywhere ML.NET does, without DIY ML. The featurizer part is the same for every
/// model of a feature space and is the expensive one (the 64 MB network goes through an ONNX
/// Runtime session and out again, +350 MB for one download), so it is saved once per space
/// (<see cref="FeaturizerZipCache"/>) and each download is composed from it and the model's
/// small head chain (<see cref="ZipComposer"/>): no ONNX session, no entry in memory.
/// </summary>
public sealed class MlModelExporter(IBlobStore blobs, Lazy<ResNetFeaturizer> resnet, FeaturizerZipCache cache) : IModelExporter
{
    public const string InputColumn = "ImagePath";

    // Bump when Featurizer() below writes something else for an existing feature space, so the
    // featurizer zips already cached under the data directory are rebuilt rather than reused.
    private const int RecipeVersion = 1;

    private readonly Lazy<string> _graphHash = new(() => GraphHash(resnet.Value.ModelDirectory));

    public async Task ExportAsync(ModelHandle model, Stream destination, CancellationToken ct)
    {
        var (ml, metadata, head) = await ReadAsync(model, ct);
        using var chain = new MemoryStream(); // the head chain: kilobytes (pixel heads: a few MB at most)
        SaveHeadChain(ml, metadata.Spec, head, chain);
        var start = destination.CanSeek ? destination.Position : 0;
        for (var attempt = 0; ; attempt++)
        {
            var path = await cache.GetAsync(SpaceName(metadata.Spec), Identity(metadata.Spec), file => SaveFeaturizer(metadata, file), ct);
            ct.ThrowIfCancellationRequested();
            try
            {
                chain.Position = 0;
                await using var featurizer = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920);
                ZipComposer.Compose(chain, featurizer, destination);
                return;
            }
            catch (InvalidDataException) when (attempt == 0 && destination.CanSeek)
            {
                // The cached file was damaged on disk after it was checked: rebuild it once and start over.
                FeaturizerZipCache.Discard(path);
                destination.SetLength(start);
                destination.Position = start;
            }
        }
    }

    /// <summary>
    /// The reference the composition must equal, entry for entry: <c>Model.Save</c> of the whole
    /// chain built at once (what every download did before the featurizer part was cached).
    /// </summary>
    internal async Task SaveWholeChainAsync(ModelHandle model, Stream destination, CancellationToken ct)
    {
        var (ml, metadata, head) = await ReadAsync(model, ct);
        var empty = ml.Data.LoadFromEnumerable(new List<ExportInput>());
        using var graph = metadata.Spec is { Transfer: true, IsV1: false } ? new TempGraph(resnet.Value.FeatureGraphFor(metadata.Featurizer!)) : null;
        var featurizer = Featurizer(ml, metadata, graph?.Path).Fit(empty);
        try
        {
            var labels = ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(head.Transform(featurizer.Transform(empty)));
            ml.Model.Save(new TransformerChain<ITransformer>(featurizer, head, labels), empty.Schema, destination);
        }
        finally
        {
            (featurizer as IDisposable)?.Dispose();
        }
    }

    private async Task<(MLContext Ml, ModelMetadata Metadata, ITransformer Head)> ReadAsync(ModelHandle model, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(model.ArtifactSha256, ct)
            ?? throw new NotFoundException("Model file", model.ModelId);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        var ml = new MLContext(seed: 0);
        var (metadata, head) = ModelPackage.Read(ml, buffer);
        return (ml, metadata, head);
    }

    /// <summary>
    /// Stand-in featurizer (an empty chain over a <c>Features</c> column of the head's exact type),
    /// head and MapKeyToValue, saved as ML.NET saves the whole chain: only the featurizer's slot
    /// and the input schema differ, and those come from the featurizer zip.
    /// </summary>
    private static void SaveHeadChain(MLContext ml, FeatureSpec spec, ITransformer head, Stream destination)
    {
        var features = ml.Data.LoadFromEnumerable(new List<PredictRow>(), MlSchemas.For<PredictRow>(spec));
        var labels = ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(head.Transform(features));
        ml.Model.Save(new TransformerChain<ITransformer>(new TransformerChain<ITransformer>(), head, labels), features.Schema, destination);
    }

    private void SaveFeaturizer(ModelMetadata metadata, Stream destination)
    {
        // The network's ONNX Runtime session lives only for this build; left to the finalizer, it
        // kept its memory long after the download finished.
        var ml = new MLContext(seed: 0);
        var empty = ml.Data.LoadFromEnumerable(new List<ExportInput>());
        using var graph = metadata.Spec is { Transfer: true, IsV1: false } ? new TempGraph(resnet.Value.FeatureGraphFor(metadata.Featurizer!)) : null;
        var featurizer = Featurizer(ml, metadata, graph?.Path).Fit(empty);
        try
        {
            ml.Model.Save(featurizer, empty.Schema, destination);
        }
        finally
        {
            (featurizer as IDisposable)?.Dispose();
        }
    }

    private static string SpaceName(FeatureSpec spec) =>
        spec.Featurizer ?? $"pixels-{spec.PixelSize}-{(spec.Colour ? "colour" : "gray")}";

    private string Identity(FeatureSpec spec) =>
        $"ML.NET {LibraryVersions.All["ML.NET"]}; recipe {RecipeVersion}" + (spec.Transfer ? $"; graphs {_graphHash.Value}" : "");

    // The featurizer zip embeds these files' bytes (v2 a graph built from the first), so a
    // package update that changes them must not reuse a zip built from the old ones.
    private static string GraphHash(string modelDirectory)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in new[] { Path.Combine("ResNet18Onnx", "ResNet18.onnx"), Path.Combine("ResNetPrepOnnx", "ResNetPreprocess.onnx") })
        {
            using var stream = File.OpenRead(Path.Combine(modelDirectory, file));
            sha.AppendData(SHA256.HashData(stream));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private IEstimator<ITransformer> Featurizer(MLContext ml, ModelMetadata metadata, string? v2Graph)
    {
        var spec = metadata.Spec;
        if (v2Graph is not null)
        {
            // Feature space v2 in ML.NET's own transforms: the picture letterboxed (ML.NET pads
            // with black where DIY ML pads and composites transparency on white, so padded or
            // transparent pictures score slightly differently), the same preprocessing graph, and
            // the v2 feature graph; OnnxTransformer embeds both graphs in the saved zip.
            var directory = resnet.Value.ModelDirectory;
            return ml.Transforms.LoadImages("Image", imageFolder: "", InputColumn)
                .Append(ml.Transforms.ResizeImages("Image", ResNetFeaturizer.Size, ResNetFeaturizer.Size, "Image", ImageResizingEstimator.ResizingKind.IsoPad))
                .Append(ml.Transforms.ExtractPixels("OriginalInput", "Image"))
                .Append(ml.Transforms.ApplyOnnxModel("PreprocessedInput", "OriginalInput", Path.Combine(directory, "ResNetPrepOnnx", "ResNetPreprocess.onnx")))
                .Append(ml.Transforms.CopyColumns(FeatureGraph.Input, "PreprocessedInput"))
                .Append(ml.Transforms.ApplyOnnxModel(FeatureGraph.Output, FeatureGraph.Input, v2Graph))
                .Append(ml.Transforms.CopyColumns(HeadFactory.Features, FeatureGraph.Output));
        }

        var load = ml.Transforms.LoadImages("Image", imageFolder: "", InputColumn)
            .Append(ml.Transforms.ResizeImages("Image", spec.PixelSize, spec.PixelSize, "Image"));
        if (spec.Transfer)
        {
            var directory = resnet.Value.ModelDirectory;
            return load
                .Append(ml.Transforms.ExtractPixels("Pixels", "Image"))
                .Append(ml.Transforms.DnnFeaturizeImage(HeadFactory.Features, m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn, directory), "Pixels"));
        }

        return spec.Colour
            ? load.Append(ml.Transforms.ExtractPixels(HeadFactory.Features, "Image", scaleImage: 1 / 255f))
            : load.Append(ml.Transforms.ConvertToGrayscale("Image"))
                .Append(ml.Transforms.ExtractPixels(HeadFactory.Features, "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1 / 255f));
    }

    // OnnxTransformer reads its graph from a file; the v2 graph exists only in memory, so it is
    // written to a private temporary directory for the duration of one export.
    private sealed class TempGraph : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("diyml-graph").FullName;

        public TempGraph(byte[] graph)
        {
            Path = System.IO.Path.Combine(_directory, "features-v2.onnx");
            File.WriteAllBytes(Path, graph); // the FP32 or INT8 network, as the model's space runs it
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }

    private sealed class ExportInput
    {
        public string ImagePath { get; set; } = "";
    }
}
