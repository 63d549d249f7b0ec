using System.IO.Compression;
using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Ml.Onnx;
using DiyMl.Infrastructure.Storage.LiteDb;
using DiyMl.Infrastructure.Tests.Storage;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace DiyMl.Infrastructure.Tests.Ml.Onnx;

/// <summary>
/// Issue 13's proof end to end: a transfer model trained by the portal's own trainer (feature space
/// v2: letterbox on white, transparency composited), exported to ONNX, run by a bare
/// <c>InferenceSession</c> on the pixels the portal itself resizes each picture to - small gray
/// Fashion-MNIST pictures and colour shapes of every form the portal meets (square, wide JPEG,
/// tall, large, transparent), not only 224×224.
/// </summary>
[Collection(MlCollection.Name)]
public sealed class OnnxEndToEndTests(MlFixture ml)
{
    [Theory]
    [InlineData(NetworkPrecision.Int8)]
    [InlineData(NetworkPrecision.Fp32)]
    public async Task A_trained_v2_model_exported_to_onnx_gives_the_portals_class_and_probabilities_within_1e4_for_every_picture(NetworkPrecision precision)
    {
        // Fashion-MNIST, not generated shapes: on shapes the head is sure of everything (every
        // probability 1.0000), and equal ones and zeros would prove nothing about the numbers.
        ml.RequireFashion();
        using var directory = new TempDirectory();
        using var engine = new LiteDbEngine(directory.Path);
        var trainer = new MlModelTrainer(ml.Blobs, ml.ResNet, new FeatureCache(engine), Options.Create(new MlOptions { Precision = precision }));
        var trained = await trainer.TrainAsync(MlFixture.Input(ModelCatalog.ResNetLbfgs, ml.FashionTrain, ml.FashionValidation), new SyncProgress(), TestContext.Current.CancellationToken);
        Assert.Equal(ResNetFeaturizer.VersionFor(precision), FeatureSpace(trained.Model));
        var blob = await ml.Blobs.PutAsync(new MemoryStream(trained.Model), TestContext.Current.CancellationToken);
        var handle = new ModelHandle(Ids.New(), ModelCatalog.ResNetLbfgs, blob.Sha256, trained.Classes);
        var path = Path.Combine(Path.GetTempPath(), $"diyml-onnx-e2e-{Guid.NewGuid():N}.onnx");
        await using (var stream = File.Create(path))
        {
            await new OnnxModelExporter(ml.Blobs, ml.ResNet).ExportAsync(handle, stream, TestContext.Current.CancellationToken);
        }

        using var file = new OnnxFile(path);
        var pictures = ml.FashionValidation.Select(i => (Name: $"{i.ImageId}.png", i.Label, Bytes: ml.Bytes[i.Sha256])).Concat(Pictures(9300)).ToList();
        var portal = await ml.Predictor.PredictAsync(handle, [.. pictures.Select(p => (ReadOnlyMemory<byte>)p.Bytes)], TestContext.Current.CancellationToken);
        var worst = 0.0;
        var right = 0;
        var tops = new List<double>();
        for (var i = 0; i < pictures.Count; i++)
        {
            var probabilities = file.Run(ResNetFeaturizer.PreparePixels(pictures[i].Bytes, pictures[i].Name), ResNetFeaturizer.Size);
            var expected = portal[i].Scores!;
            Assert.Equal(expected[0].Label, trained.Classes[Array.IndexOf(probabilities, probabilities.Max())]);
            right += i < ml.FashionValidation.Count && expected[0].Label == pictures[i].Label ? 1 : 0;
            tops.Add(expected[0].Score);
            foreach (var scored in expected)
            {
                var onnx = probabilities[trained.Classes.ToList().IndexOf(scored.Label)];
                worst = Math.Max(worst, Math.Abs(scored.Score - onnx));
                Assert.True(Math.Abs(scored.Score - onnx) <= 1e-4, $"{pictures[i].Name}, {scored.Label}: portal {scored.Score}, ONNX {onnx}");
            }
        }

        // The model must really tell its pictures apart, and be unsure of some (the shapes are
        // strangers to it), or agreeing on classes and probabilities would prove little.
        Assert.True(right >= 0.75 * ml.FashionValidation.Count, $"{right} of {ml.FashionValidation.Count} Fashion-MNIST pictures right");
        Assert.True(tops.Any(t => t < 0.9), $"T={trained.Temperature} l2={string.Join(",", trained.ChosenParameters.Select(p => $"{p.Key}={p.Value}"))} " + string.Join(" ", tops.Select(t => t.ToString("F3", System.Globalization.CultureInfo.InvariantCulture))));
        TestContext.Current.TestOutputHelper?.WriteLine($"{pictures.Count} pictures, {right} right, largest probability difference {worst:E2}, top probabilities {string.Join(" ", tops.Select(t => t.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    private static List<(string Name, string Label, byte[] Bytes)> Pictures(int seed)
    {
        var pictures = new List<(string, string, byte[])>();
        foreach (var shape in Shapes.Classes)
        {
            var random = new Random(seed++);
            pictures.Add(($"{shape}-square.png", shape, Shapes.Draw(shape, random)));
            pictures.Add(($"{shape}-wide.jpg", shape, Shapes.Draw(shape, random, 320, 180, SKEncodedImageFormat.Jpeg)));
            pictures.Add(($"{shape}-tall.png", shape, Shapes.Draw(shape, random, 120, 300)));
            pictures.Add(($"{shape}-large.jpg", shape, Shapes.Draw(shape, random, 640, 480, SKEncodedImageFormat.Jpeg)));
            pictures.Add(($"{shape}-transparent.png", shape, Transparent(Shapes.Draw(shape, random, 150, 150))));
        }

        return pictures;
    }

    /// <summary>The picture with its light background made see-through: the portal composites it on white.</summary>
    private static byte[] Transparent(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        using var copy = new SKBitmap(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var background = bitmap.GetPixel(0, 0);
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                copy.SetPixel(x, y, pixel == background ? SKColors.Transparent : pixel);
            }
        }

        using var data = copy.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static string? FeatureSpace(byte[] package)
    {
        using var zip = new ZipArchive(new MemoryStream(package));
        using var json = JsonDocument.Parse(zip.GetEntry("model.json")!.Open());
        return json.RootElement.GetProperty("featurizer").GetString();
    }
}
