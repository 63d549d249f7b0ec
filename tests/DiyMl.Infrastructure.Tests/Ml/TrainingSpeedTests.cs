using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml;

namespace DiyMl.Infrastructure.Tests.Ml;

/// <summary>
/// What the training-time cuts (issue 13 item 5) must not change: the L2 the search picks, where a
/// LightGBM head's temperature comes from, and calibration still making confidence more honest.
/// </summary>
public sealed class TrainingSpeedTests
{
    private static readonly string[] Classes = ["a", "b", "c"];

    // Expected: what the search chose on main before this branch (the uncached path below, whose
    // answers the cached one must match bit for bit), inside the grid where the fixture allows.
    [Theory]
    [InlineData(ModelCatalog.ResNetLbfgs, 0.6f, 0.00001)]
    [InlineData(ModelCatalog.ResNetLbfgs, 0.15f, 1)]
    [InlineData(ModelCatalog.Pixels, 0.3f, 0.03)]
    [InlineData(ModelCatalog.Pixels, 0.15f, 0.01)]
    public void The_l2_search_picks_the_same_l2_as_before_the_speed_ups_and_caching_rows_changes_nothing(string typeId, float signal, double expected)
    {
        var (type, parameters) = ModelCatalog.Resolve(typeId, typeId == ModelCatalog.Pixels ? new Dictionary<string, double> { ["size"] = 8, ["colour"] = 0 } : []);
        var spec = FeatureSpec.For(type.Id, parameters, NetworkPrecision.Fp32);
        var rows = Rows(spec.FeatureCount, 90, signal, seed: 11);
        var pictures = Enumerable.Range(0, 90).ToList();

        (double L2, List<(float[] Probabilities, int Label)> HeldOut) Search(bool cached) => L2Search.Choose(
            new HeadSession(7, spec, Classes),
            new CrossValidationRows(rows, pictures, [.. pictures.Select(_ => false)], 7) { Cached = cached },
            type.Id, parameters, TestContext.Current.CancellationToken);

        // Uncached is the path main took before this branch: rows streamed from the enumerable.
        var (before, after) = (Search(cached: false), Search(cached: true));
        TestContext.Current.TestOutputHelper?.WriteLine($"{typeId} signal {signal}: chosen l2 {after.L2}");
        Assert.Equal(before.L2, after.L2);
        Assert.Equal(before.HeldOut.Select(h => h.Probabilities), after.HeldOut.Select(h => h.Probabilities));
        Assert.Equal(expected, after.L2);
    }

    [Fact]
    public void A_lightgbm_head_fits_its_temperature_on_two_folds_covering_every_training_picture_once()
    {
        var (type, parameters) = ModelCatalog.Resolve(ModelCatalog.ResNetLightGbm, new Dictionary<string, double> { ["trees"] = 20 });
        var spec = FeatureSpec.For(type.Id, parameters, NetworkPrecision.Fp32);
        var rows = Rows(spec.FeatureCount, 120, signal: 0.6f, seed: 12);
        var pictures = Enumerable.Range(0, 90).ToList();

        var head = MlModelTrainer.FitHead(new MlModelTrainer.HeadInput(type.Id, parameters, spec, Classes, 7, rows, 90, pictures), new Progress<TrainingProgressUpdate>(), [], TestContext.Current.CancellationToken);

        // 30 pictures a class would give the L2 search's three folds; LightGBM's temperature gets two,
        // and fitting those two by hand gives exactly the answers the trainer calibrated on.
        var folds = new CrossValidationRows([.. rows.Take(90)], pictures, [.. pictures.Select(_ => false)], 7, HeadFactory.LightGbmCalibrationFolds);
        Assert.Equal(3, new CrossValidationRows([.. rows.Take(90)], pictures, [.. pictures.Select(_ => false)], 7).Folds);
        Assert.Equal(2, folds.Folds);
        var session = new HeadSession(7, spec, Classes);
        var expected = L2Search.HeldOut(session, folds, n => HeadFactory.Create(session.Ml, spec, type.Id, parameters, 0, n, Classes.Length, 7), TestContext.Current.CancellationToken);
        Assert.Equal(90, head.HeldOut.Count);
        Assert.Equal(expected.Select(e => (e.Label, e.Probabilities)), head.HeldOut.Select(h => (h.Label, h.Probabilities)));
    }

    [Fact]
    public void Calibration_still_lowers_a_lightgbm_heads_calibration_error()
    {
        // Boosted trees on a few hundred rows answer with confidences their accuracy does not match.
        var (type, parameters) = ModelCatalog.Resolve(ModelCatalog.ResNetLightGbm, new Dictionary<string, double> { ["trees"] = 50 });
        var spec = FeatureSpec.For(type.Id, parameters, NetworkPrecision.Fp32);
        var rows = Rows(spec.FeatureCount, 420, signal: 0.35f, seed: 13);

        var head = MlModelTrainer.FitHead(new MlModelTrainer.HeadInput(type.Id, parameters, spec, Classes, 7, rows, 120, [.. Enumerable.Range(0, 120)]), new Progress<TrainingProgressUpdate>(), [], TestContext.Current.CancellationToken);

        var (before, after) = (head.Evaluation.UncalibratedCalibrationError!.Value, head.Evaluation.CalibrationError!.Value);
        TestContext.Current.TestOutputHelper?.WriteLine($"ECE on 300 validation rows: before {before:F3}, after {after:F3}, T {head.Temperature:F3}, accuracy {head.Evaluation.Accuracy:F3}");
        Assert.NotEqual(1, head.Temperature);
        Assert.True(after < before, $"ECE before {before:F3}, after {after:F3}");
    }

    /// <summary>Seeded rows whose first features lean towards their class (i % 3), the rest noise.</summary>
    private static List<FeatureRow> Rows(int features, int count, float signal, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => new FeatureRow
        {
            Label = Classes[i % 3],
            Features = [.. Enumerable.Range(0, features).Select(f => random.NextSingle() + (f < 30 && f % 3 == i % 3 ? signal : 0f))],
        })];
    }
}
