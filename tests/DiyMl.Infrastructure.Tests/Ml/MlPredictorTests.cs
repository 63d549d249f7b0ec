using DiyMl.Domain.Common;
using DiyMl.Domain.Training;

namespace DiyMl.Infrastructure.Tests.Ml;

[Collection(MlCollection.Name)]
public sealed class MlPredictorTests(MlFixture ml)
{
    [Theory]
    [InlineData(ModelCatalog.ResNetLbfgs)]
    [InlineData(ModelCatalog.ResNetLightGbm)]
    [InlineData(ModelCatalog.Pixels)]
    public async Task Predictor_gives_training_like_images_their_label_with_all_scores_best_first(string type)
    {
        ml.RequireFashion();
        var handle = await TrainAndStoreAsync(type);
        var images = ml.FashionValidation.Select(i => (ReadOnlyMemory<byte>)ml.Bytes[i.Sha256]).ToList();

        var outcomes = await ml.Predictor.PredictAsync(handle, images, TestContext.Current.CancellationToken);

        Assert.Equal(images.Count, outcomes.Count);
        Assert.All(outcomes, o =>
        {
            Assert.Null(o.Error);
            Assert.Equal(4, o.Scores!.Count);
            Assert.Equal(o.Scores.OrderByDescending(s => s.Score).Select(s => s.Score), o.Scores.Select(s => s.Score));
            Assert.InRange(o.Scores.Sum(s => s.Score), 0.99, 1.01);
        });
        var correct = outcomes.Zip(ml.FashionValidation).Count(p => p.First.Scores![0].Label == p.Second.Label);
        Assert.True(correct >= 0.75 * images.Count, $"{correct} of {images.Count} right");
    }

    [Fact]
    public async Task A_garbage_image_gets_its_own_error_and_the_others_are_answered()
    {
        ml.RequireFashion();
        var handle = await TrainAndStoreAsync(ModelCatalog.ResNetLbfgs);
        var good = ml.Bytes[ml.FashionTrain[0].Sha256];

        var outcomes = await ml.Predictor.PredictAsync(handle, [good, "garbage bytes"u8.ToArray(), good], TestContext.Current.CancellationToken);

        Assert.Equal(ml.FashionTrain[0].Label, outcomes[0].Scores![0].Label);
        Assert.Null(outcomes[1].Scores);
        Assert.Contains("not a readable image", outcomes[1].Error);
        Assert.Equal(outcomes[0].Scores, outcomes[2].Scores);
    }

    [Fact]
    public async Task An_evicted_model_is_loaded_again_on_the_next_prediction()
    {
        ml.RequireFashion();
        var handle = await TrainAndStoreAsync(ModelCatalog.Pixels);
        var image = ml.Bytes[ml.FashionTrain[0].Sha256];
        var before = await ml.Predictor.PredictAsync(handle, [image], TestContext.Current.CancellationToken);

        ml.Predictor.Evict(handle.ModelId);
        var after = await ml.Predictor.PredictAsync(handle, [image], TestContext.Current.CancellationToken);

        Assert.Equal(before[0].Scores, after[0].Scores);
    }

    [Fact]
    public async Task Concurrent_predictions_on_one_model_all_succeed()
    {
        ml.RequireFashion();
        var handle = await TrainAndStoreAsync(ModelCatalog.ResNetLbfgs);
        var images = ml.FashionValidation.Take(8).Select(i => (ReadOnlyMemory<byte>)ml.Bytes[i.Sha256]).ToList();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(() => ml.Predictor.PredictAsync(handle, images, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken)));

        Assert.All(results, r => Assert.Equal(results[0].Select(o => o.Scores![0].Label), r.Select(o => o.Scores![0].Label)));
    }

    private async Task<ModelHandle> TrainAndStoreAsync(string type)
    {
        var trained = await ml.Trainer.TrainAsync(MlFixture.Input(type, ml.FashionTrain, ml.FashionValidation), new SyncProgress(), TestContext.Current.CancellationToken);
        var blob = await ml.Blobs.PutAsync(new MemoryStream(trained.Model), TestContext.Current.CancellationToken);
        return new ModelHandle(Ids.New(), type, blob.Sha256, trained.Classes);
    }
}
