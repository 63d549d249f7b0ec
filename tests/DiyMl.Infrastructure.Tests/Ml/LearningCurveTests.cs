using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml;

namespace DiyMl.Infrastructure.Tests.Ml;

[Collection(MlCollection.Name)]
public sealed class LearningCurveTests(MlFixture ml)
{
    [Fact]
    public async Task A_training_measures_a_four_point_curve_ending_at_its_own_validation_accuracy()
    {
        ml.RequireFashion();
        var progress = new SyncProgress();

        var result = await ml.Trainer.TrainAsync(MlFixture.Input(ModelCatalog.Pixels, ml.FashionTrain, ml.FashionValidation), progress, TestContext.Current.CancellationToken);

        var curve = result.LearningCurve;
        Assert.Equal(4, curve.Count);
        // 18 pictures per class, 4 classes: a quarter is 5 (4.5 rounded up) per class, and so on.
        Assert.Equal([20, 36, 56, 72], curve.Select(p => p.Images));
        Assert.All(curve, p => Assert.InRange(p.Accuracy, 0, 1));
        Assert.Equal(result.Validation.Accuracy, curve[^1].Accuracy);
        Assert.True(curve[0].Accuracy < curve[^1].Accuracy, $"a quarter of the pictures {curve[0].Accuracy:F3}, all {curve[^1].Accuracy:F3}");
        Assert.Contains("learning curve", result.StageSeconds.Keys);
        Assert.Contains(progress.Reports, r => r.Stage == LearningCurve.Stage && r.Done == r.Total);
    }

    [Fact]
    public async Task The_same_seed_draws_the_same_curve()
    {
        ml.RequireFashion();
        var input = MlFixture.Input(ModelCatalog.Pixels, ml.FashionTrain, ml.FashionValidation, seed: 3);

        var first = await ml.Trainer.TrainAsync(input, new SyncProgress(), TestContext.Current.CancellationToken);
        var second = await ml.Trainer.TrainAsync(input, new SyncProgress(), TestContext.Current.CancellationToken);

        Assert.Equal(first.LearningCurve.Select(p => (p.Images, p.Accuracy)), second.LearningCurve.Select(p => (p.Images, p.Accuracy)));
    }

    [Fact]
    public async Task Each_setting_tried_is_reported_once_in_order_with_its_score()
    {
        ml.RequireFashion();
        var progress = new SyncProgress();

        var result = await ml.Trainer.TrainAsync(MlFixture.Input(ModelCatalog.Pixels, ml.FashionTrain, ml.FashionValidation), progress, TestContext.Current.CancellationToken);

        var trials = progress.Reports.Where(r => r.Stage == TrainingEstimator.TryingSettings).ToList();
        Assert.Equal(Enumerable.Range(0, HeadFactory.L2Grid.Length + 1), trials.Select(r => r.Done));
        Assert.All(trials, r => Assert.Equal(HeadFactory.L2Grid.Length, r.Total));
        var tried = trials.Skip(1).Select(r => r.Trial!).ToList();
        Assert.Equal(HeadFactory.L2Grid.Order(), tried.Select(t => t.Value).Order());
        Assert.All(tried, t => Assert.InRange(t.Score, 0, 1));
        Assert.Contains(result.ChosenParameters["l2"], tried.Select(t => t.Value));
        // The setting it chose scored as well as any (ties go to the stronger setting by log-loss).
        Assert.Equal(tried.Max(t => t.Score), tried.Single(t => t.Value == result.ChosenParameters["l2"]).Score, 9);
    }

    [Fact]
    public void Subsets_are_nested_keep_every_class_and_take_a_mirrored_copy_with_its_picture()
    {
        // Rows 0-5 are pictures 0-5 (three per class), rows 6-11 their mirrored copies.
        var rows = Enumerable.Range(0, 12).Select(i => new FeatureRow { Label = i % 6 < 3 ? "a" : "b", Features = [i] }).ToList();
        var pictures = Enumerable.Range(0, 12).Select(i => i % 6).ToList();

        var order = LearningCurve.PictureOrder(rows, pictures, seed: 5);
        var quarter = LearningCurve.Subset(order, 0.25);
        var half = LearningCurve.Subset(order, 0.5);
        var all = LearningCurve.Subset(order, 1);

        Assert.Equal(3, order["a"].Count);
        Assert.Equal(2, quarter.Count); // one per class, never none
        Assert.Contains(quarter.Single(p => p < 3), order["a"]);
        Assert.Subset(half, quarter);
        Assert.Equal(6, all.Count);
        Assert.Equal(order["a"], LearningCurve.PictureOrder(rows, pictures, seed: 5)["a"]);
    }
}
