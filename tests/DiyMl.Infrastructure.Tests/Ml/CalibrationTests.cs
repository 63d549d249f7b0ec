using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml;

namespace DiyMl.Infrastructure.Tests.Ml;

[Collection(MlCollection.Name)]
public sealed class CalibrationTests(MlFixture ml)
{
    [Fact]
    public async Task Calibration_lowers_the_expected_calibration_error_on_the_validation_split()
    {
        ml.RequireFashion();

        // Ten classes, 300 validation pictures: enough for the error to be measured, not guessed.
        // The pixel model is the cheap one to train on that many; it is also the most over-confident.
        var images = await ml.StoreAsync(FashionMnist.Load(test: false, Enumerable.Range(0, 10).ToArray(), perClass: 60, skip: 100));
        var train = images.GroupBy(i => i.Label).SelectMany(g => g.Take(30)).ToList();
        var validation = images.GroupBy(i => i.Label).SelectMany(g => g.Skip(30)).ToList();

        var result = await ml.Trainer.TrainAsync(MlFixture.Input(ModelCatalog.Pixels, train, validation), new SyncProgress(), TestContext.Current.CancellationToken);

        var (before, after) = (result.Validation.UncalibratedCalibrationError!.Value, result.Validation.CalibrationError!.Value);
        TestContext.Current.TestOutputHelper?.WriteLine($"ECE on {validation.Count} validation pictures: before calibration {before:F3}, after {after:F3} (temperature {result.Temperature}, accuracy {result.Validation.Accuracy:F3})");
        Assert.NotEqual(1, result.Temperature);
        Assert.True(after < before, $"ECE before {before:F3}, after {after:F3}");
    }

    [Fact]
    public async Task Predictions_carry_the_calibrated_confidence_the_validation_metrics_were_measured_with()
    {
        ml.RequireFashion();
        var trained = await ml.Trainer.TrainAsync(MlFixture.Input(ModelCatalog.ResNetLbfgs, ml.FashionTrain, ml.FashionValidation), new SyncProgress(), TestContext.Current.CancellationToken);
        var blob = await ml.Blobs.PutAsync(new MemoryStream(trained.Model), TestContext.Current.CancellationToken);
        var images = ml.FashionValidation.Select(i => (ReadOnlyMemory<byte>)ml.Bytes[i.Sha256]).ToList();

        var outcomes = await ml.Predictor.PredictAsync(new ModelHandle(DiyMl.Domain.Common.Ids.New(), ModelCatalog.ResNetLbfgs, blob.Sha256, trained.Classes), images, TestContext.Current.CancellationToken);

        // The stored model was refitted on all pictures, so its answers on the validation pictures
        // are at least as sure as the held-out ones; what matters is they are not the raw, timid scores.
        var meanRight = outcomes.Zip(ml.FashionValidation).Where(p => p.First.Scores![0].Label == p.Second.Label).Average(p => p.First.Scores![0].Score);
        TestContext.Current.TestOutputHelper?.WriteLine($"mean confidence when right: {meanRight:F3}; final model learned from {trained.FinalTrainingImages} pictures");
        Assert.True(meanRight > 0.8, $"mean confidence when right {meanRight:F3}");
        Assert.Equal(ml.FashionTrain.Count + ml.FashionValidation.Count, trained.FinalTrainingImages);
    }

    [Fact]
    public void The_l2_search_hands_calibration_predictions_from_fold_models_that_never_saw_the_picture()
    {
        // Noise with random labels: a model that learned a row knows its label; one that did not can only guess.
        var random = new Random(5);
        string[] classes = ["a", "b", "c"];
        FeatureRow Row(string label, Func<int, float> feature) => new() { Label = label, Features = [.. Enumerable.Range(0, 64).Select(feature)] };
        var noise = Enumerable.Range(0, 60).Select(i => Row(classes[i % 3], _ => random.NextSingle())).ToList();
        var separable = Enumerable.Range(0, 60).Select(i => Row(classes[i % 3], f => random.NextSingle() + (f % 3 == i % 3 ? 2f : 0f))).ToList();
        var (type, parameters) = ModelCatalog.Resolve(ModelCatalog.Pixels, new Dictionary<string, double> { ["size"] = 8, ["colour"] = 0 });
        var spec = FeatureSpec.For(type.Id, parameters, NetworkPrecision.Fp32);

        (double L2, List<(float[] Probabilities, int Label)> HeldOut) Search(List<FeatureRow> rows)
        {
            var session = new HeadSession(1, spec, classes);
            var data = new CrossValidationRows(rows, [.. Enumerable.Range(0, rows.Count)], [.. rows.Select(_ => false)], seed: 1);
            return L2Search.Choose(session, data, type.Id, parameters, TestContext.Current.CancellationToken);
        }

        var onNoise = Search(noise).HeldOut;
        var onSeparable = Search(separable).HeldOut;

        // One held-out answer per picture, each against that picture's own class.
        Assert.Equal(60, onNoise.Count);
        Assert.Equal(60, onSeparable.Count);
        var rightOnSeparable = onSeparable.Average(r => Array.IndexOf(r.Probabilities, r.Probabilities.Max()) == r.Label ? 1.0 : 0.0);
        var trueClassOnNoise = onNoise.Average(r => r.Probabilities[r.Label]);
        TestContext.Current.TestOutputHelper?.WriteLine($"held-out accuracy on separable rows {rightOnSeparable:F2}; mean probability of the true class on noise {trueClassOnNoise:F2}");
        Assert.True(rightOnSeparable >= 0.9, $"held-out accuracy on separable rows {rightOnSeparable:F2}");
        Assert.True(trueClassOnNoise < 0.45, $"mean probability of the true class on noise {trueClassOnNoise:F2}: the fold models had seen these rows");
    }
}
