using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml;

namespace DiyMl.Infrastructure.Tests.Ml;

[Collection(MlCollection.Name)]
public sealed class MlTrainerTests(MlFixture ml)
{
    [Theory]
    [InlineData(ModelCatalog.ResNetLbfgs)]
    [InlineData(ModelCatalog.ResNetLightGbm)]
    [InlineData(ModelCatalog.Pixels)]
    public async Task Every_model_type_learns_fashion_classes_clearly_better_than_chance(string type)
    {
        ml.RequireFashion();
        var progress = new SyncProgress();

        var result = await ml.Trainer.TrainAsync(MlFixture.Input(type, ml.FashionTrain, ml.FashionValidation), progress, TestContext.Current.CancellationToken);

        Assert.Equal(["Bag", "Sneaker", "T-shirt", "Trouser"], result.Classes);
        Assert.Equal(ml.FashionValidation.Count, result.Validation.Count);
        Assert.True(result.Validation.Accuracy >= 0.75, $"{type} accuracy {result.Validation.Accuracy:F3} (chance is 0.25)");
        Assert.NotNull(result.Validation.LogLoss);
        Assert.Equal(["evaluating", "featurizing", "fitting", "learning curve", "refitting"], result.StageSeconds.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("ML.NET", result.LibraryVersions.Keys);
        Assert.True(result.Model.Length < 1024 * 1024, $"model is {result.Model.Length} bytes");
        Assert.Contains(progress.Reports, r => r.Stage == "Featurizing" && r.Done == r.Total);
    }

    [Fact]
    public async Task Default_model_reports_the_l2_it_chose_by_cross_validation()
    {
        ml.RequireFashion();

        var result = await ml.Trainer.TrainAsync(MlFixture.Input(ModelCatalog.ResNetLbfgs, ml.FashionTrain, ml.FashionValidation), new SyncProgress(), TestContext.Current.CancellationToken);

        Assert.Contains(result.ChosenParameters["l2"], HeadFactory.L2Grid);
    }

    [Theory]
    [InlineData(ModelCatalog.ResNetLbfgs)]
    [InlineData(ModelCatalog.ResNetLightGbm)]
    [InlineData(ModelCatalog.Pixels)]
    public async Task Same_seed_on_same_images_gives_identical_metrics(string type)
    {
        ml.RequireFashion();
        var input = MlFixture.Input(type, ml.FashionTrain, ml.FashionValidation, new() { ["augmentFlip"] = 1 }, seed: 7);

        var first = await ml.Trainer.TrainAsync(input, new SyncProgress(), TestContext.Current.CancellationToken);
        var second = await ml.Trainer.TrainAsync(input, new SyncProgress(), TestContext.Current.CancellationToken);

        Assert.Equal(first.Validation.ConfusionMatrix, second.Validation.ConfusionMatrix);
        Assert.Equal(first.Validation.LogLoss, second.Validation.LogLoss);
        Assert.Equal(first.ChosenParameters, second.ChosenParameters);
        Assert.Equal(first.Temperature, second.Temperature);
        Assert.Equal(first.Validation.CalibrationError, second.Validation.CalibrationError);
    }

    [Fact]
    public async Task Retraining_on_the_same_images_takes_features_from_the_cache()
    {
        var images = await ml.FreshShapesAsync(perClass: 5, seed: 1000);
        var input = MlFixture.Input(ModelCatalog.ResNetLbfgs, images, [], new() { ["l2"] = 0.01 });

        var first = await ml.Trainer.TrainAsync(input, new SyncProgress(), TestContext.Current.CancellationToken);
        var second = await ml.Trainer.TrainAsync(input, new SyncProgress(), TestContext.Current.CancellationToken);

        Assert.Equal(0, first.FeatureCacheHits);
        Assert.Equal(images.Count, second.FeatureCacheHits);
    }

    [Fact]
    public async Task Shapes_in_colour_are_learned_by_the_default_model()
    {
        var images = await ml.FreshShapesAsync(perClass: 16, seed: 2000);
        var train = images.GroupBy(i => i.Label).SelectMany(g => g.Take(12)).ToList();
        var validation = images.GroupBy(i => i.Label).SelectMany(g => g.Skip(12)).ToList();

        var result = await ml.Trainer.TrainAsync(MlFixture.Input(ModelCatalog.ResNetLbfgs, train, validation), new SyncProgress(), TestContext.Current.CancellationToken);

        Assert.True(result.Validation.Accuracy >= 0.6, $"accuracy {result.Validation.Accuracy:F3} (chance is 0.25)");
    }

    [Fact]
    public async Task An_undecodable_image_fails_training_with_a_message_naming_it()
    {
        var images = (await ml.FreshShapesAsync(perClass: 2, seed: 3000)).ToList();
        var bad = (await ml.StoreAsync([("circle", "this is not an image"u8.ToArray())]))[0];
        images.Add(bad);

        var error = await Assert.ThrowsAsync<ImageDecodeException>(() =>
            ml.Trainer.TrainAsync(MlFixture.Input(ModelCatalog.ResNetLbfgs, images, []), new SyncProgress(), TestContext.Current.CancellationToken));

        Assert.Contains(bad.ImageId, error.Message);
        Assert.DoesNotContain("Invalid path", error.Message);
    }

    [Fact]
    public void Warm_up_trains_and_loads_a_model_that_ranks_its_probe_correctly()
    {
        var ranked = ml.Trainer.WarmUp(TestContext.Current.CancellationToken);

        Assert.Equal(["a", "b", "c"], ranked.Select(r => r.Label).Order());
        Assert.Equal("a", ranked[0].Label);
        Assert.True(ranked[0].Score > ranked[1].Score);
    }

    [Fact]
    public void Cross_validation_folds_spread_every_class_evenly_and_repeat_for_a_seed()
    {
        var rows = Enumerable.Range(0, 30).Select(i => new FeatureRow { Label = i < 20 ? "big" : "small" }).ToList();

        var pictures = Enumerable.Range(0, 30).ToList();
        var folds = CrossValidationRows.StratifiedFolds(rows, pictures, 3, seed: 4);

        foreach (var label in new[] { "big", "small" })
        {
            var sizes = Enumerable.Range(0, 3).Select(k => rows.Where((r, i) => r.Label == label && folds[i] == k).Count()).ToList();
            Assert.True(sizes.Max() - sizes.Min() <= 1, $"{label}: {string.Join(",", sizes)}");
        }

        Assert.Equal(folds, CrossValidationRows.StratifiedFolds(rows, pictures, 3, seed: 4));
        Assert.NotEqual(folds, CrossValidationRows.StratifiedFolds(rows, pictures, 3, seed: 5));
    }

    [Fact]
    public void A_picture_and_its_mirrored_copy_always_share_a_cross_validation_fold()
    {
        var rows = Enumerable.Range(0, 40).Select(i => new FeatureRow { Label = i % 20 < 10 ? "big" : "small" }).ToList();
        var pictures = Enumerable.Range(0, 40).Select(i => i % 20).ToList();

        var folds = CrossValidationRows.StratifiedFolds(rows, pictures, 3, seed: 4);

        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(folds[i], folds[i + 20]));
        Assert.Equal(3, folds.Distinct().Count());
    }
}
