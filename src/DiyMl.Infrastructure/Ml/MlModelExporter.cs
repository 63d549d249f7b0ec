using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Rebuilds the whole prediction pipeline in ML.NET's own transforms (LoadImages → ResizeImages
/// → ExtractPixels → DnnFeaturizeImage(ResNet18) or pixel extraction) in front of the stored
/// head, so the download works anywhere ML.NET does, without DIY ML.
/// </summary>
public sealed class MlModelExporter(IBlobStore blobs, Lazy<ResNetFeaturizer> resnet) : IModelExporter
{
    public const string InputColumn = "ImagePath";

    public async Task ExportAsync(ModelHandle model, Stream destination, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(model.ArtifactSha256, ct)
            ?? throw new NotFoundException("Model file", model.ModelId);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        buffer.Position = 0;

        var ml = new MLContext(seed: 0);
        var (metadata, head) = ModelPackage.Read(ml, buffer);
        var empty = ml.Data.LoadFromEnumerable(new List<ExportInput>());
        using var graph = metadata.Spec is { Transfer: true, IsV1: false } ? new TempGraph(resnet.Value.FeatureGraphFor(metadata.Featurizer!)) : null;
        var featurizer = Featurizer(ml, metadata, graph?.Path).Fit(empty);
        var scored = head.Transform(featurizer.Transform(empty));
        var labels = ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(scored);
        var full = new TransformerChain<ITransformer>(featurizer, head, labels);
        try
        {
            ct.ThrowIfCancellationRequested();
            if (destination.CanSeek)
            {
                // Straight into the caller's file: a 57 MB zip never sits in memory (Model.Save needs a seekable stream).
                ml.Model.Save(full, empty.Schema, destination);
                return;
            }

            var spool = Path.Combine(Path.GetTempPath(), "diyml-export-" + Guid.NewGuid().ToString("N") + ".zip");
            await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            ml.Model.Save(full, empty.Schema, file);
            file.Position = 0;
            await file.CopyToAsync(destination, ct);
        }
        finally
        {
            // The ONNX featurizer holds a native ONNX Runtime session (~100+ MB) until it is disposed;
            // left to the finalizer, each download kept its memory long after it finished.
            (full as IDisposable)?.Dispose();
            (featurizer as IDisposable)?.Dispose();
        }
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
