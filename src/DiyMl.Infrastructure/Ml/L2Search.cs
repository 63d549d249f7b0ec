using Microsoft.ML;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Chooses L2 by stratified k-fold cross-validation on the training split only. Every
/// (candidate, fold) fit is an independent single-threaded job, so all of them share the cores
/// at once; folds come from a seeded shuffle per class and the choice reads the scores in grid
/// order, so the same seed always picks the same L2. Rows are scaled once up front instead of
/// by a transform on every optimiser pass.
/// </summary>
internal static class L2Search
{
    public static double Choose(HeadSession session, IReadOnlyList<FeatureRow> rows, string modelTypeId, IReadOnlyDictionary<string, double> parameters, int seed, CancellationToken ct)
    {
        var ml = session.Ml;
        var classes = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Count();
        var folds = Math.Clamp(rows.Count / (2 * classes), 2, 3);
        var fold = StratifiedFolds(rows, folds, seed);
        var scaled = HeadFactory.ScalesToUnitLength(modelTypeId)
            ? [.. rows.Select(r => new FeatureRow { Label = r.Label, Features = UnitLength(r.Features) })]
            : rows;
        var splits = Enumerable.Range(0, folds)
            .Select(k => (Train: session.Load(scaled.Where((_, i) => fold[i] != k)), Test: session.Load(scaled.Where((_, i) => fold[i] == k))))
            .ToList();

        var grid = HeadFactory.L2Grid;
        var scores = new (double Accuracy, double LogLoss)[grid.Length * folds];
        MlCancellation.Run(ml, () => Parallel.For(0, scores.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, job =>
        {
            var (candidate, k) = Math.DivRem(job, folds);
            var model = HeadFactory.Candidate(ml, parameters, grid[candidate]).Fit(splits[k].Train);
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(splits[k].Test), HeadFactory.Label);
            scores[job] = (metrics.MicroAccuracy, double.IsFinite(metrics.LogLoss) ? metrics.LogLoss : 1e6);
        }), ct);

        var best = (L2: grid[^1], Accuracy: double.MinValue, LogLoss: double.MaxValue);
        for (var candidate = 0; candidate < grid.Length; candidate++)
        {
            var mine = scores.AsSpan(candidate * folds, folds).ToArray();
            var (accuracy, logLoss) = (mine.Average(s => s.Accuracy), mine.Average(s => s.LogLoss));
            if (accuracy > best.Accuracy + 1e-9 || (Math.Abs(accuracy - best.Accuracy) <= 1e-9 && logLoss < best.LogLoss))
            {
                best = (grid[candidate], accuracy, logLoss);
            }
        }

        return best.L2;
    }

    /// <summary>Fold of each row: each class's rows, shuffled with the seed, dealt round the folds.</summary>
    internal static int[] StratifiedFolds(IReadOnlyList<FeatureRow> rows, int folds, int seed)
    {
        var fold = new int[rows.Count];
        var random = new Random(seed);
        foreach (var group in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            for (var position = 0; position < members.Length; position++)
            {
                fold[members[position]] = position % folds;
            }
        }

        return fold;
    }

    // What ML.NET's NormalizeLpNorm does by default (L2 norm, no centring), so the candidates see
    // the rows the final head will.
    private static float[] UnitLength(float[] features)
    {
        var norm = Math.Sqrt(features.Sum(f => (double)f * f));
        return norm > 0 ? [.. features.Select(f => (float)(f / norm))] : features;
    }
}
