using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Ml.Export;
using Microsoft.ML;

namespace DiyMl.Infrastructure.Tests.Ml;

[Collection(MlCollection.Name)]
public sealed class MlExporterTests(MlFixture ml)
{
    [Theory]
    [InlineData(ModelCatalog.ResNetLbfgs)]
    [InlineData(ModelCatalog.Pixels)]
    public async Task Exported_zip_predicts_an_image_file_with_a_fresh_mlnet_context_alone(string type)
    {
        ml.RequireFashion();
        var trained = await ml.Trainer.TrainAsync(MlFixture.Input(type, ml.FashionTrain, ml.FashionValidation), new SyncProgress(), TestContext.Current.CancellationToken);
        var blob = await ml.Blobs.PutAsync(new MemoryStream(trained.Model), TestContext.Current.CancellationToken);
        var handle = new ModelHandle(Ids.New(), type, blob.Sha256, trained.Classes);
        var directory = Directory.CreateTempSubdirectory("diyml-export").FullName;
        var zipPath = Path.Combine(directory, "model.zip");
        await using (var file = File.Create(zipPath))
        {
            await new MlModelExporter(ml.Blobs, ml.ResNet, new FeaturizerZipCache(Path.Combine(directory, "exports"))).ExportAsync(handle, file, TestContext.Current.CancellationToken);
        }

        var context = new MLContext();
        var loaded = context.Model.Load(zipPath, out _);
        var engine = context.Model.CreatePredictionEngine<ImageInput, ImageOutput>(loaded);
        var right = 0;
        foreach (var image in ml.FashionValidation)
        {
            var path = Path.Combine(directory, image.ImageId + ".png");
            await File.WriteAllBytesAsync(path, ml.Bytes[image.Sha256], TestContext.Current.CancellationToken);
            var output = engine.Predict(new ImageInput { ImagePath = path });
            Assert.Equal(trained.Classes.Count, output.Score.Length);
            right += output.PredictedLabel == image.Label ? 1 : 0;
        }

        Assert.True(right >= 0.75 * ml.FashionValidation.Count, $"{right} of {ml.FashionValidation.Count} right");
        Directory.Delete(directory, recursive: true);
    }

    public sealed class ImageInput
    {
        public string ImagePath { get; set; } = "";
    }

    public sealed class ImageOutput
    {
        public string PredictedLabel { get; set; } = "";

        public float[] Score { get; set; } = [];
    }
}
