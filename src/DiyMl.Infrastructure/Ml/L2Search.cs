using DiyMl.Domain.Jobs;
using DiyMl.Domain.Training;
using Microsoft.ML;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Stratified k-fold cross-validation on the training split only: choosing L2, and the
/// held-out probabilities the calibration temperature is fitted on. Every (candidate, fold) fit is
/// an independent single-threaded job, so all of them share the cores at once; folds come from a
/// seeded shuffle per class and the choice reads the scores in grid order, so the same seed
/// always picks the same L2. A picture and its mirrored copy always share a fold (they are one
/// picture: one seen in training would make the other look easy). Rows are scaled once up front
/// instead of by a transform on every optimiser pass.
/// </summary>
internal static class L2Search
{
    public static double Choose(HeadSession session, CrossValidationRows data, string modelTypeId, IReadOnlyDictionary<string, double> parameters, CancellationToken ct,
        IProgress<TrainingProgressUpdate>? progress = null)
    {
        var ml = session.Ml;
        var (folds, splits) = (data.Folds, data.Splits(session, HeadFactory.ScalesToUnitLength(modelTypeId, session.Spec)));
        var grid = HeadFactory.L2Grid;
        var scores = new (double Accuracy, double LogLoss)[grid.Length * folds];
        var trials = new TrialReporter(progress, grid, folds, scores);
        MlCancellation.Run(ml, () => Parallel.For(0, scores.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, job =>
        {
            var (candidate, k) = Math.DivRem(job, folds);
            var model = HeadFactory.Candidate(ml, parameters, grid[candidate]).Fit(splits[k].Train);
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(splits[k].Test), HeadFactory.Label);
            scores[job] = (metrics.MicroAccuracy, double.IsFinite(metrics.LogLoss) ? metrics.LogLoss : 1e6);
            trials.FoldDone(candidate);
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

    /// <summary>
    /// Each training row's probabilities from the model fitted without its fold (the final
    /// estimator, not a candidate), with its class index: what temperature scaling is fitted on.
    /// Mirrored copies are left out: a person never asks about them.
    /// </summary>
    public static List<(float[] Probabilities, int Label)> HeldOut(HeadSession session, CrossValidationRows data, Func<int, IEstimator<ITransformer>> estimator, CancellationToken ct)
    {
        var splits = data.Splits(session, scale: false);
        var predictions = new float[data.Folds][][];
        MlCancellation.Run(session.Ml, () => Parallel.For(0, data.Folds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            var model = estimator(data.Rows.Count - splits[k].TestCount).Fit(splits[k].Train);
            predictions[k] = session.Probabilities(model, splits[k].Test);
        }), ct);

        var result = new List<(float[], int)>();
        for (var k = 0; k < data.Folds; k++)
        {
            var members = data.Members(k);
            for (var n = 0; n < members.Count; n++)
            {
                if (!data.Mirrored[members[n]])
                {
                    result.Add((predictions[k][n], session.ClassIndex(data.Rows[members[n]].Label)));
                }
            }
        }

        return result;
    }
}

/// <summary>Training rows with the picture each came from, dealt into stratified folds by picture.</summary>
internal sealed class CrossValidationRows
{
    public CrossValidationRows(IReadOnlyList<FeatureRow> rows, IReadOnlyList<int> pictures, IReadOnlyList<bool> mirrored, int seed)
    {
        Rows = rows;
        Mirrored = mirrored;
        var classes = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Count();
        var distinct = pictures.Distinct().Count();
        Folds = Math.Clamp(distinct / (2 * classes), 2, 3);
        Fold = StratifiedFolds(rows, pictures, Folds, seed);
    }

    public IReadOnlyList<FeatureRow> Rows { get; }

    public IReadOnlyList<bool> Mirrored { get; }

    public int Folds { get; }

    public int[] Fold { get; }

    public List<int> Members(int k) => [.. Enumerable.Range(0, Rows.Count).Where(i => Fold[i] == k)];

    public List<(IDataView Train, IDataView Test, int TestCount)> Splits(HeadSession session, bool scale)
    {
        var rows = scale ? [.. Rows.Select(r => new FeatureRow { Label = r.Label, Features = UnitLength(r.Features) })] : Rows;
        return [.. Enumerable.Range(0, Folds).Select(k =>
        {
            var test = Members(k);
            return (session.Load(rows.Where((_, i) => Fold[i] != k)), session.Load(test.Select(i => rows[i])), test.Count);
        })];
    }

    /// <summary>Fold of each row: each class's pictures, shuffled with the seed, dealt round the folds; a row takes its picture's fold.</summary>
    internal static int[] StratifiedFolds(IReadOnlyList<FeatureRow> rows, IReadOnlyList<int> pictures, int folds, int seed)
    {
        var random = new Random(seed);
        var foldOfPicture = new Dictionary<int, int>();
        var firstRow = Enumerable.Range(0, rows.Count).GroupBy(i => pictures[i]).Select(g => g.First());
        foreach (var group in firstRow.GroupBy(i => rows[i].Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.Select(i => pictures[i]).ToArray();
            random.Shuffle(members);
            for (var position = 0; position < members.Length; position++)
            {
                foldOfPicture[members[position]] = position % folds;
            }
        }

        return [.. Enumerable.Range(0, rows.Count).Select(i => foldOfPicture[pictures[i]])];
    }

    // What ML.NET's NormalizeLpNorm does by default (L2 norm, no centring), so the candidates see
    // the rows the final v1 head will.
    private static float[] UnitLength(float[] features)
    {
        var norm = Math.Sqrt(features.Sum(f => (double)f * f));
        return norm > 0 ? [.. features.Select(f => (float)(f / norm))] : features;
    }
}
