using DiyMl.Domain.Training;

namespace DiyMl.Domain.Tests.Training;

public sealed class CalibrationTests
{
    [Fact]
    public void Fitted_temperature_recovers_the_one_that_made_the_scores_timid()
    {
        // True probabilities p; the "head" reports p^(1/3) renormalised (temperature 3: too unsure).
        var random = new Random(3);
        var rows = new List<(float[] Probabilities, int Label)>();
        for (var i = 0; i < 3000; i++)
        {
            var logits = new[] { random.NextDouble() * 6, random.NextDouble() * 6, random.NextDouble() * 6 };
            var truth = Softmax(logits, 1);
            var draw = random.NextDouble();
            var label = draw < truth[0] ? 0 : draw < truth[0] + truth[1] ? 1 : 2;
            rows.Add(([.. Softmax(logits, 3).Select(p => (float)p)], label));
        }

        var temperature = Calibration.FitTemperature(rows);

        Assert.InRange(temperature, 1 / 3.0 * 0.85, 1 / 3.0 * 1.15);
    }

    [Fact]
    public void Temperature_keeps_the_ranking_and_sums_to_one()
    {
        var calibrated = Calibration.Apply([0.5f, 0.3f, 0.2f], 0.5);

        Assert.Equal(1, calibrated.Sum(), 6);
        Assert.True(calibrated[0] > 0.5 && calibrated[0] > calibrated[1] && calibrated[1] > calibrated[2]);
        Assert.Equal([0.5, 0.3, 0.2], Calibration.Apply([0.5f, 0.3f, 0.2f], 1).Select(p => Math.Round(p, 6)));
    }

    [Fact]
    public void Expected_calibration_error_is_the_share_weighted_gap_per_confidence_bin()
    {
        // Bin 0.9: 2 predictions at 0.95, one right → gap 0.45; bin 0.6: 2 at 0.65, both right → gap 0.35.
        var error = Calibration.ExpectedError([(0.95, true), (0.95, false), (0.65, true), (0.65, true)]);

        Assert.Equal((0.5 * 0.45) + (0.5 * 0.35), error, 9);
        Assert.Equal(0, Calibration.ExpectedError([(1.0, true), (0.0, false)]), 9);
    }

    [Fact]
    public void The_sampling_floor_is_what_chance_gives_a_perfectly_calibrated_model_and_shrinks_with_more_pictures()
    {
        var random = new Random(8);
        var confidences = Enumerable.Range(0, 2000).Select(_ => 0.5 + (random.NextDouble() * 0.5)).ToList();

        var few = Calibration.SamplingFloor(confidences.Take(50).ToList());
        var many = Calibration.SamplingFloor(confidences);

        // About sqrt(bins / n): ~0.1 on 50 pictures, a few thousandths on 2,000.
        Assert.InRange(few, 0.05, 0.2);
        Assert.True(many < few / 3, $"floor on 2,000 pictures {many:F3}, on 50 {few:F3}");
        Assert.Equal(few, Calibration.SamplingFloor(confidences.Take(50).ToList()));
        Assert.Equal(0, Calibration.SamplingFloor([1.0, 1.0]), 9);
    }

    private static double[] Softmax(double[] logits, double temperature)
    {
        var e = logits.Select(l => Math.Exp(l / temperature)).ToArray();
        return [.. e.Select(v => v / e.Sum())];
    }
}
