using DiyMl.Domain.Training;

namespace DiyMl.Infrastructure.Tests.Ml;

[Collection(MlCollection.Name)]
public sealed class MlCancellationTests(MlFixture ml)
{
    [Fact]
    public async Task Cancel_during_featurization_ends_the_training_with_cancellation()
    {
        var images = await ml.FreshShapesAsync(perClass: 16, seed: 4000);
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p is { Stage: "Featurizing", Done: > 0 })
            {
                cts.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ml.Trainer.TrainAsync(MlFixture.Input(ModelCatalog.ResNetLbfgs, images, []), progress, cts.Token));

        Assert.DoesNotContain(progress.Reports, r => r.Stage == "Fitting");
        Assert.True(progress.Reports.Max(r => r.Done) < images.Count, "featurization stopped before the end");
    }

    [Fact]
    public async Task Cancel_during_fitting_ends_the_training_with_cancellation_and_no_model()
    {
        ml.RequireFashion();
        using var cts = new CancellationTokenSource();
        var fitting = new TaskCompletionSource();
        var progress = new SyncProgress(p =>
        {
            if (p is { Stage: "Fitting", Done: 0 })
            {
                fitting.TrySetResult();
            }
        });
        var parameters = new Dictionary<string, double> { ["trees"] = 1000, ["leaves"] = 64, ["learningRate"] = 0.01, ["augmentFlip"] = 1 };

        // Run on the pool so this test can cancel while Fit blocks its thread.
        var training = Task.Run(() => ml.Trainer.TrainAsync(
            MlFixture.Input(ModelCatalog.ResNetLightGbm, ml.FashionTrain, ml.FashionValidation, parameters), progress, cts.Token), TestContext.Current.CancellationToken);
        await fitting.Task.WaitAsync(TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken); // let Fit get going; cancelling before it starts is the easy case
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => training);
        TestContext.Current.TestOutputHelper?.WriteLine($"cancel took {watch.ElapsedMilliseconds} ms");
        Assert.DoesNotContain(progress.Reports, r => r.Stage == "Evaluating");
    }
}
