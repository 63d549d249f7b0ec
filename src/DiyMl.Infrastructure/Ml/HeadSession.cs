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

    /// <summary>The L2 for <paramref name="modelTypeId"/> chosen by cross-validation on these training rows.</summary>
    public double ChooseL2(IReadOnlyList<FeatureRow> rows, string modelTypeId, IReadOnlyDictionary<string, double> parameters, CancellationToken ct) =>
        L2Search.Choose(this, rows, modelTypeId, parameters, _seed, ct);

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
