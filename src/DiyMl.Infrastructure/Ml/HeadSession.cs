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
    private readonly int _seed;
    private readonly IReadOnlyList<string> _classes;

    public HeadSession(int seed, FeatureSpec spec, IReadOnlyList<string> classes)
    {
        Ml = new MLContext(seed);
        _seed = seed;
        _spec = spec;
        _classes = classes;
        var keyData = Ml.Data.LoadFromEnumerable(classes.Select(c => new LabelRow { Label = c }));
        _keys = Ml.Transforms.Conversion.MapValueToKey(HeadFactory.Label, HeadFactory.Label, keyData: keyData)
            .Fit(keyData);
    }

    public MLContext Ml { get; }

    /// <summary>Rows as an IDataView with the label already mapped to its key.</summary>
    public IDataView Load(IEnumerable<FeatureRow> rows) =>
        _keys.Transform(Ml.Data.LoadFromEnumerable(rows.ToList(), MlSchemas.For<FeatureRow>(_spec)));

    /// <summary>k-fold cross-validation on the training split only; best accuracy, then lowest log-loss.</summary>
    public double ChooseL2(IDataView train, string modelTypeId, IReadOnlyDictionary<string, double> parameters, int rows, CancellationToken ct)
    {
        var folds = Math.Clamp(rows / (2 * _classes.Count), 2, 3);
        // Each candidate is an independent single-threaded fit, so they run side by side on the
        // cores; the choice below only looks at the results in grid order, so it stays deterministic.
        var scores = new (double Accuracy, double LogLoss)[HeadFactory.L2Grid.Length];
        MlCancellation.Run(Ml, () => Parallel.For(0, scores.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var estimator = HeadFactory.Create(Ml, modelTypeId, parameters, HeadFactory.L2Grid[i], rows, _classes.Count, _seed);
            var results = Ml.MulticlassClassification.CrossValidate(train, estimator, folds, HeadFactory.Label, seed: _seed);
            scores[i] = (results.Average(r => r.Metrics.MicroAccuracy), results.Average(r => double.IsFinite(r.Metrics.LogLoss) ? r.Metrics.LogLoss : 1e6));
        }), ct);

        var best = (L2: HeadFactory.L2Grid[^1], Accuracy: double.MinValue, LogLoss: double.MaxValue);
        for (var i = 0; i < scores.Length; i++)
        {
            var (accuracy, logLoss) = scores[i];
            if (accuracy > best.Accuracy + 1e-9 || (Math.Abs(accuracy - best.Accuracy) <= 1e-9 && logLoss < best.LogLoss))
            {
                best = (HeadFactory.L2Grid[i], accuracy, logLoss);
            }
        }

        return best.L2;
    }

    public Evaluation Evaluate(ITransformer head, IDataView validation, CancellationToken ct)
    {
        var metrics = MlCancellation.Run(Ml, () => Ml.MulticlassClassification.Evaluate(head.Transform(validation), HeadFactory.Label), ct);
        var counts = metrics.ConfusionMatrix.Counts;
        var matrix = Enumerable.Range(0, _classes.Count)
            .Select(r => (IReadOnlyList<int>)[.. Enumerable.Range(0, _classes.Count).Select(c => r < counts.Count && c < counts[r].Count ? (int)Math.Round(counts[r][c]) : 0)])
            .ToList();
        return Evaluation.FromConfusion(_classes, matrix, double.IsFinite(metrics.LogLoss) ? metrics.LogLoss : null);
    }
}
