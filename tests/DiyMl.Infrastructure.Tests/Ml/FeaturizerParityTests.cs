using DiyMl.Infrastructure.Ml;
using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;

namespace DiyMl.Infrastructure.Tests.Ml;

[Collection(MlCollection.Name)]
public sealed class FeaturizerParityTests(MlFixture ml)
{
    [Fact]
    public void Our_features_match_the_ones_of_mlnet_DnnFeaturizeImage_pipeline()
    {
        var directory = Directory.CreateTempSubdirectory("diyml-parity").FullName;
        var random = new Random(5);
        var images = new List<(string Path, byte[] Bytes)>();
        foreach (var (name, bytes) in new[]
        {
            ("wide.jpg", Shapes.Draw("circle", random, 640, 480, SKEncodedImageFormat.Jpeg)),
            ("tall.png", Shapes.Draw("triangle", random, 120, 300)),
            ("square.png", Shapes.Draw("cross", random, 300, 300)),
            ("small.png", Shapes.Draw("square", random, 28, 28)),
        })
        {
            var path = Path.Combine(directory, name);
            File.WriteAllBytes(path, bytes);
            images.Add((path, bytes));
        }

        var reference = MlNetFeatures(images.Select(i => i.Path));
        for (var i = 0; i < images.Count; i++)
        {
            var ours = ml.ResNet.Value.Featurize(images[i].Bytes, flip: false, images[i].Path, featurizer: ResNetFeaturizer.VersionV1);
            var similarity = Cosine(ours, reference[i]);
            Assert.True(similarity > 0.99, $"{images[i].Path}: cosine {similarity:F4}");

            // Training featurizes on the single-threaded bulk session: the same network, the same numbers.
            var bulk = ml.ResNet.Value.Featurize(images[i].Bytes, flip: false, images[i].Path, bulk: true, featurizer: ResNetFeaturizer.VersionV1);
            Assert.True(Cosine(ours, bulk) > 0.9999, $"{images[i].Path}: bulk session differs");
        }

        Directory.Delete(directory, recursive: true);
    }

    private static float[][] MlNetFeatures(IEnumerable<string> paths)
    {
        var context = new MLContext(1);
        var data = context.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }).ToList());
        var pipeline = context.Transforms.LoadImages("Image", null, nameof(PathRow.ImagePath))
            .Append(context.Transforms.ResizeImages("Image", ResNetFeaturizer.Size, ResNetFeaturizer.Size, "Image"))
            .Append(context.Transforms.ExtractPixels("Pixels", "Image"))
            .Append(context.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(context, m.OutputColumn, m.InputColumn), "Pixels"));
        var output = pipeline.Fit(data).Transform(data);
        return [.. output.GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray())];
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, x = 0, y = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            x += a[i] * a[i];
            y += b[i] * b[i];
        }

        return dot / Math.Sqrt(x * y);
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }
}
