using System.IO.Compression;
using System.Security.Cryptography;
using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Ml.Export;
using Microsoft.ML;

namespace DiyMl.Infrastructure.Tests.Ml.Export;

/// <summary>
/// The download composed from the cached featurizer part and the model's head chain is the zip
/// ML.NET writes for the whole chain (same entries, same bytes, same order), and it predicts what
/// the portal predicts when loaded by ML.NET alone.
/// </summary>
[Collection(MlCollection.Name)]
public sealed class ComposedZipTests(MlFixture ml) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("diyml-composed").FullName;

    public enum Kind
    {
        TransferV1,
        TransferV2,
        PixelsGray,
        PixelsColour,
    }

    [Theory]
    [InlineData(Kind.TransferV1)]
    [InlineData(Kind.TransferV2)]
    [InlineData(Kind.PixelsGray)]
    [InlineData(Kind.PixelsColour)]
    public async Task Composed_zip_has_the_entries_and_bytes_of_the_whole_chain_saved_at_once_and_predicts_as_the_portal(Kind kind)
    {
        var (handle, size) = await ModelAsync(kind);
        var cache = new FeaturizerZipCache(Path.Combine(_directory, "exports"));
        var exporter = new MlModelExporter(ml.Blobs, ml.ResNet, cache);
        var composed = Path.Combine(_directory, "composed.zip");
        var whole = Path.Combine(_directory, "whole.zip");
        await using (var file = File.Create(composed))
        {
            await exporter.ExportAsync(handle, file, TestContext.Current.CancellationToken);
        }

        await using (var file = File.Create(whole))
        {
            await exporter.SaveWholeChainAsync(handle, file, TestContext.Current.CancellationToken);
        }

        Assert.Equal(Entries(whole), Entries(composed));
        Assert.Single(Directory.GetFiles(cache.Directory, "featurizer-*.zip"));
        // ML.NET's ConvertToGrayscale weighs the channels a little differently from the portal's
        // gray conversion (a property of the pipeline, not of the composition: the bytes are equal above).
        await AssertPredictsAsThePortalAsync(composed, handle, size, kind == Kind.PixelsGray ? 1e-2 : 1e-4);

        // A second download of the same space reuses the cached part and gives the same zip.
        var cached = File.GetLastWriteTimeUtc(Directory.GetFiles(cache.Directory).Single());
        var again = Path.Combine(_directory, "again.zip");
        await using (var file = File.Create(again))
        {
            await exporter.ExportAsync(handle, file, TestContext.Current.CancellationToken);
        }

        Assert.Equal(Entries(whole), Entries(again));
        Assert.Equal(cached, File.GetLastWriteTimeUtc(Directory.GetFiles(cache.Directory).Single()));
    }

    [Fact]
    public async Task A_damaged_featurizer_part_is_rebuilt_and_the_download_still_loads()
    {
        var (handle, _) = await ModelAsync(Kind.PixelsGray);
        var cache = new FeaturizerZipCache(Path.Combine(_directory, "exports"));
        var exporter = new MlModelExporter(ml.Blobs, ml.ResNet, cache);
        await exporter.ExportAsync(handle, Stream.Null, TestContext.Current.CancellationToken);
        var part = Directory.GetFiles(cache.Directory).Single();
        await File.WriteAllBytesAsync(part, new byte[100], TestContext.Current.CancellationToken);

        var path = Path.Combine(_directory, "after-damage.zip");
        await using (var file = File.Create(path))
        {
            await exporter.ExportAsync(handle, file, TestContext.Current.CancellationToken);
        }

        new MLContext().Model.Load(path, out _);
        Assert.True(new FileInfo(part).Length > 100);
    }

    private async Task<(ModelHandle Handle, int Size)> ModelAsync(Kind kind)
    {
        if (kind == Kind.TransferV1)
        {
            // A package trained before feature space v2 (the stored fixture of LegacyModelTests).
            var package = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Ml", "Fixtures", "legacy-v1", $"{ModelCatalog.ResNetLbfgs}.model"), TestContext.Current.CancellationToken);
            var stored = await ml.Blobs.PutAsync(new MemoryStream(package), TestContext.Current.CancellationToken);
            return (new ModelHandle(Ids.New(), ModelCatalog.ResNetLbfgs, stored.Sha256, [.. Shapes.Classes.Order(StringComparer.Ordinal)]), 224);
        }

        var (type, parameters, size) = kind switch
        {
            Kind.TransferV2 => (ModelCatalog.ResNetLbfgs, new Dictionary<string, double>(), 224),
            Kind.PixelsGray => (ModelCatalog.Pixels, new() { ["size"] = 28, ["colour"] = 0 }, 28),
            _ => (ModelCatalog.Pixels, new() { ["size"] = 16, ["colour"] = 1 }, 16),
        };
        var train = await ml.FreshShapesAsync(5, 8100 + (int)kind);
        var validation = await ml.FreshShapesAsync(2, 8200 + (int)kind);
        var trained = await ml.Trainer.TrainAsync(MlFixture.Input(type, train, validation, parameters), new SyncProgress(), TestContext.Current.CancellationToken);
        var blob = await ml.Blobs.PutAsync(new MemoryStream(trained.Model), TestContext.Current.CancellationToken);
        return (new ModelHandle(Ids.New(), type, blob.Sha256, trained.Classes), size);
    }

    /// <summary>
    /// Pictures of the input's own size, so ML.NET's resize and the portal's agree by
    /// construction; the zip carries the uncalibrated head, so its scores are calibrated here with
    /// the model's temperature (softmax of logits / T) before they are compared.
    /// </summary>
    private async Task AssertPredictsAsThePortalAsync(string zipPath, ModelHandle handle, int size, double tolerance)
    {
        double temperature;
        await using (var package = await ml.Blobs.OpenReadAsync(handle.ArtifactSha256, TestContext.Current.CancellationToken))
        {
            using var buffer = new MemoryStream();
            await package!.CopyToAsync(buffer, TestContext.Current.CancellationToken);
            buffer.Position = 0;
            temperature = ModelPackage.Read(new MLContext(), buffer).Metadata.Temperature;
        }

        var pictures = Shapes.Classes.SelectMany(c => Enumerable.Range(0, 2).Select(i => Shapes.Draw(c, new Random(8300 + i), size, size))).ToList();
        var portal = await ml.Predictor.PredictAsync(handle, [.. pictures.Select(p => (ReadOnlyMemory<byte>)p)], TestContext.Current.CancellationToken);
        var context = new MLContext();
        var engine = context.Model.CreatePredictionEngine<MlExporterTests.ImageInput, MlExporterTests.ImageOutput>(context.Model.Load(zipPath, out _));
        var worst = 0.0;
        for (var i = 0; i < pictures.Count; i++)
        {
            var path = Path.Combine(_directory, $"picture-{i}.png");
            await File.WriteAllBytesAsync(path, pictures[i], TestContext.Current.CancellationToken);
            var output = engine.Predict(new MlExporterTests.ImageInput { ImagePath = path });
            var calibrated = Calibrate(output.Score, temperature);
            Assert.Equal(portal[i].Scores![0].Label, output.PredictedLabel);
            foreach (var scored in portal[i].Scores!)
            {
                var difference = Math.Abs(scored.Score - calibrated[IndexOf(handle.Classes, scored.Label)]);
                worst = Math.Max(worst, difference);
                Assert.True(difference < tolerance, $"picture {i}, {scored.Label}: portal {scored.Score}, zip {calibrated[IndexOf(handle.Classes, scored.Label)]}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{pictures.Count} pictures, largest score difference {worst:E2}, zip {new FileInfo(zipPath).Length / 1e6:F1} MB");
    }

    private static double[] Calibrate(float[] scores, double temperature)
    {
        var powered = scores.Select(s => Math.Pow(Math.Max(s, 1e-30), 1 / temperature)).ToArray();
        var sum = powered.Sum();
        return [.. powered.Select(p => p / sum)];
    }

    private static int IndexOf(IReadOnlyList<string> classes, string label) => classes.Select((c, i) => (c, i)).First(x => x.c == label).i;

    private static List<(string Name, string Sha256)> Entries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return [.. zip.Entries.Select(e =>
        {
            using var stream = e.Open();
            return (e.FullName, Convert.ToHexStringLower(SHA256.HashData(stream)));
        })];
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
