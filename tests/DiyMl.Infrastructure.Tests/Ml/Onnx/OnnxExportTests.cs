using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml.Onnx;

namespace DiyMl.Infrastructure.Tests.Ml.Onnx;

/// <summary>
/// The exported ONNX file, run by ONNX Runtime alone, answers what the portal answers: the same
/// class for every test picture and probabilities within 1e-4 when fed the same resized pixels.
/// </summary>
[Collection(MlCollection.Name)]
public sealed class OnnxExportTests(MlFixture ml)
{
    private const double Tolerance = 1e-4;

    [Fact]
    public async Task Transfer_model_file_matches_the_portal_on_every_test_picture()
    {
        var (handle, classes) = await TrainAsync(ModelCatalog.ResNetLbfgs, [], seed: 7100);
        using var file = await ExportAsync(handle);

        AssertContract(file, 224, classes);
        await AssertSameAnswersAsync(file, handle, 224, seed: 7300);
    }

    [Theory]
    [InlineData(28, 0)]
    [InlineData(16, 1)]
    public async Task Pixel_model_file_takes_its_own_square_and_matches_the_portal(int size, int colour)
    {
        var (handle, classes) = await TrainAsync(ModelCatalog.Pixels, new() { ["size"] = size, ["colour"] = colour }, seed: 7500 + size);
        using var file = await ExportAsync(handle);

        AssertContract(file, size, classes);
        await AssertSameAnswersAsync(file, handle, size, seed: 7700 + size);
    }

    [Fact]
    public async Task LightGbm_model_is_refused_naming_the_format_and_the_zip_alternative()
    {
        var (handle, _) = await TrainAsync(ModelCatalog.ResNetLightGbm, new() { ["trees"] = 10 }, seed: 7100);

        var error = await Assert.ThrowsAsync<DomainValidationException>(() => new OnnxModelExporter(ml.Blobs, ml.ResNet)
            .ExportAsync(handle, Stream.Null, TestContext.Current.CancellationToken));

        Assert.Contains("format", error.Errors.Keys);
        Assert.Contains("cannot be exported to ONNX yet", error.Message);
        Assert.Contains("ML.NET zip", error.Message);
    }

    private async Task<(ModelHandle Handle, IReadOnlyList<string> Classes)> TrainAsync(string type, Dictionary<string, double> parameters, int seed)
    {
        var train = await ml.FreshShapesAsync(6, seed);
        var validation = await ml.FreshShapesAsync(2, seed + 100);
        var trained = await ml.Trainer.TrainAsync(MlFixture.Input(type, train, validation, parameters), new SyncProgress(), TestContext.Current.CancellationToken);
        var blob = await ml.Blobs.PutAsync(new MemoryStream(trained.Model), TestContext.Current.CancellationToken);
        return (new ModelHandle(Ids.New(), type, blob.Sha256, trained.Classes), trained.Classes);
    }

    private async Task<OnnxFile> ExportAsync(ModelHandle handle)
    {
        var path = Path.Combine(Path.GetTempPath(), $"diyml-onnx-{Guid.NewGuid():N}.onnx");
        await using (var stream = File.Create(path))
        {
            await new OnnxModelExporter(ml.Blobs, ml.ResNet).ExportAsync(handle, stream, TestContext.Current.CancellationToken);
        }

        return new OnnxFile(path);
    }

    private static void AssertContract(OnnxFile file, int size, IReadOnlyList<string> classes)
    {
        var input = Assert.Single(file.Session.InputMetadata);
        Assert.Equal("image", input.Key);
        Assert.Equal(typeof(byte), input.Value.ElementType);
        Assert.Equal([1, size, size, 3], input.Value.Dimensions);
        var output = Assert.Single(file.Session.OutputMetadata);
        Assert.Equal("probabilities", output.Key);
        Assert.Equal(typeof(float), output.Value.ElementType);
        Assert.Equal([1, classes.Count], output.Value.Dimensions);
        var labels = JsonSerializer.Deserialize<string[]>(file.Session.ModelMetadata.CustomMetadataMap[OnnxModelExporter.LabelsKey]);
        Assert.Equal(classes, labels);
    }

    /// <summary>
    /// Pictures already of the input's size pass through any resize rule unchanged, so the
    /// comparison holds in every feature space; pictures of other sizes also test the resize rule
    /// where the file says it is the centre crop that <see cref="OnnxFile.Rgb"/> reproduces.
    /// </summary>
    private async Task AssertSameAnswersAsync(OnnxFile file, ModelHandle handle, int size, int seed)
    {
        var centreCrop = !file.Session.ModelMetadata.CustomMetadataMap["resize"].Contains("white", StringComparison.Ordinal);
        var pictures = Shapes.Classes.SelectMany(c => Enumerable.Range(0, 3).Select(i => Shapes.Draw(c, new Random(seed + i + (10 * Array.IndexOf(Shapes.Classes, c))), size, size)))
            .Concat(centreCrop
                ? [Shapes.Draw("square", new Random(seed)), Shapes.Draw("circle", new Random(seed), width: 160, height: 90, format: SkiaSharp.SKEncodedImageFormat.Jpeg)]
                : [])
            .ToList();
        var portal = await ml.Predictor.PredictAsync(handle, [.. pictures.Select(p => (ReadOnlyMemory<byte>)p)], TestContext.Current.CancellationToken);
        var worst = 0.0;
        for (var i = 0; i < pictures.Count; i++)
        {
            var expected = portal[i].Scores!;
            var probabilities = file.Run(OnnxFile.Rgb(pictures[i], size), size);
            var best = handle.Classes[Array.IndexOf(probabilities, probabilities.Max())];
            Assert.Equal(expected[0].Label, best);
            foreach (var scored in expected)
            {
                var difference = Math.Abs(scored.Score - probabilities[IndexOf(handle.Classes, scored.Label)]);
                worst = Math.Max(worst, difference);
                Assert.True(difference <= Tolerance, $"picture {i}, class {scored.Label}: portal {scored.Score}, ONNX {probabilities[IndexOf(handle.Classes, scored.Label)]}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{pictures.Count} pictures, largest probability difference {worst:E2}, file {file.Bytes / 1e6:F1} MB");
    }

    private static int IndexOf(IReadOnlyList<string> classes, string label) => classes.Select((c, i) => (c, i)).First(x => x.c == label).i;
}
