using DiyMl.Domain.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// One job's ML.NET context (seeded; cancelling makes it unusable, so never shared) and the
/// label-to-key mapping whose key order is <c>classes</c> order - the order of Score and of the
/// confusion matrix.
/// </summary>
internal sealed class HeadSession
{
    private readonly FeatureSpec _spec;
    private readonly Microsoft.ML.Transforms.ValueToKeyMappingTransformer _keys;
    private readonly IReadOnlyList<string> _classes;
    private readonly Dictionary<string, int> _index;

    public HeadSession(int seed, FeatureSpec spec, IReadOnlyList<string> classes)
    {
        Ml = new MLContext(seed);
        _spec = spec;
        _classes = classes;
        _index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var keyData = Ml.Data.LoadFromEnumerable(classes.Select(c => new LabelRow { Label = c }));
        _keys = Ml.Transforms.Conversion.MapValueToKey(HeadFactory.Label, HeadFactory.Label, keyData: keyData)
            .Fit(keyData);
    }

    public MLContext Ml { get; }

    public FeatureSpec Spec => _spec;

    public int ClassIndex(string label) => _index.GetValueOrDefault(label, -1);

    /// <summary>Rows as an IDataView with the label already mapped to its key.</summary>
    public IDataView Load(IEnumerable<FeatureRow> rows) =>
        _keys.Transform(Ml.Data.LoadFromEnumerable(rows.ToList(), MlSchemas.For<FeatureRow>(_spec)));

    /// <summary>The head's probabilities for each row, in <c>classes</c> order.</summary>
    public float[][] Probabilities(ITransformer head, IDataView rows)
    {
        var scored = head.Transform(rows);
        return [.. scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray())];
    }

    /// <summary>
    /// Metrics of <paramref name="head"/> on validation rows, confidences calibrated with
    /// <paramref name="temperature"/>: the confusion matrix (the top class, which calibration never
    /// changes), log-loss and expected calibration error, the latter also before calibration.
    /// </summary>
    public Evaluation Evaluate(ITransformer head, IReadOnlyList<FeatureRow> validation, double temperature, CancellationToken ct)
    {
        var raw = MlCancellation.Run(Ml, () => Probabilities(head, Load(validation)), ct);
        var n = _classes.Count;
        var matrix = Enumerable.Range(0, n).Select(_ => new int[n]).ToArray();
        var (calibrated, uncalibrated) = (new List<(double, bool)>(), new List<(double, bool)>());
        var logLoss = 0.0;
        for (var i = 0; i < raw.Length; i++)
        {
            var truth = ClassIndex(validation[i].Label);
            var probabilities = Calibration.Apply(raw[i], temperature);
            var top = 0;
            for (var c = 1; c < n; c++)
            {
                top = raw[i][c] > raw[i][top] ? c : top;
            }

            matrix[truth][top]++;
            calibrated.Add((probabilities[top], top == truth));
            uncalibrated.Add((Calibration.Apply(raw[i], 1)[top], top == truth));
            logLoss -= Math.Log(Math.Max(probabilities[truth], 1e-15));
        }

        var evaluation = Evaluation.FromConfusion(_classes, [.. matrix.Select(r => (IReadOnlyList<int>)r)], raw.Length == 0 ? null : logLoss / raw.Length);
        evaluation.CalibrationError = raw.Length == 0 ? null : Calibration.ExpectedError(calibrated);
        evaluation.UncalibratedCalibrationError = raw.Length == 0 ? null : Calibration.ExpectedError(uncalibrated);
        evaluation.CalibrationErrorFloor = raw.Length == 0 ? null : Calibration.SamplingFloor([.. calibrated.Select(c => c.Item1)]);
        return evaluation;
    }
}
