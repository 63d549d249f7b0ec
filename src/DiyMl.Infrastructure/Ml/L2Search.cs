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
    /// <summary>
    /// The L2 with the best mean fold accuracy (log-loss breaks ties), and every training row's
    /// probabilities from that candidate's fold model: out-of-fold predictions the calibration
    /// reuses, so choosing L2 and fitting the temperature cost one round of fits, not two. Each
    /// candidate is reported to <paramref name="progress"/> as soon as all its folds are scored.
    /// </summary>
    public static (double L2, List<(float[] Probabilities, int Label)> HeldOut) Choose(HeadSession session, CrossValidationRows data, string modelTypeId, IReadOnlyDictionary<string, double> parameters, CancellationToken ct,
        double[]? grid = null, IProgress<TrainingProgressUpdate>? progress = null)
    {
        var ml = session.Ml;
        var (folds, splits) = (data.Folds, data.Splits(session, HeadFactory.ScalesToUnitLength(modelTypeId, session.Spec)));
        grid ??= HeadFactory.L2Grid;
        var scores = new (double Accuracy, double LogLoss)[grid.Length * folds];
        var probabilities = new float[grid.Length * folds][][];
        var trials = new TrialReporter(progress, grid, folds, scores);
        MlCancellation.Run(ml, () => Parallel.For(0, scores.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, job =>
        {
            var (candidate, k) = Math.DivRem(job, folds);
            var model = HeadFactory.Candidate(ml, parameters, grid[candidate]).Fit(splits[k].Train);
            probabilities[job] = session.Probabilities(model, splits[k].Test);
            scores[job] = Score(session, probabilities[job], data, k);
            trials.FoldDone(candidate);
        }), ct);

        var best = (Candidate: grid.Length - 1, Accuracy: double.MinValue, LogLoss: double.MaxValue);
        for (var candidate = 0; candidate < grid.Length; candidate++)
        {
            var mine = scores.AsSpan(candidate * folds, folds).ToArray();
            var (accuracy, logLoss) = (mine.Average(s => s.Accuracy), mine.Average(s => s.LogLoss));
            if (accuracy > best.Accuracy + 1e-9 || (Math.Abs(accuracy - best.Accuracy) <= 1e-9 && logLoss < best.LogLoss))
            {
                best = (candidate, accuracy, logLoss);
            }
        }

        return (grid[best.Candidate], Collect(session, data, probabilities.AsSpan(best.Candidate * folds, folds).ToArray()));
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

        return Collect(session, data, predictions);
    }

    /// <summary>Accuracy and log-loss (ML.NET's: probabilities clipped at 1e-15) of one fold's test rows, mirrored copies included.</summary>
    private static (double Accuracy, double LogLoss) Score(HeadSession session, float[][] probabilities, CrossValidationRows data, int fold)
    {
        var members = data.Members(fold);
        var (right, loss) = (0, 0.0);
        for (var n = 0; n < members.Count; n++)
        {
            var (p, truth) = (probabilities[n], session.ClassIndex(data.Rows[members[n]].Label));
            var top = 0;
            for (var c = 1; c < p.Length; c++)
            {
                top = p[c] > p[top] ? c : top;
            }

            right += top == truth ? 1 : 0;
            loss -= Math.Log(Math.Max(p[truth], 1e-15));
        }

        return members.Count == 0 ? (0, 0) : ((double)right / members.Count, loss / members.Count);
    }

    private static List<(float[] Probabilities, int Label)> Collect(HeadSession session, CrossValidationRows data, float[][][] predictions)
    {
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
    public CrossValidationRows(IReadOnlyList<FeatureRow> rows, IReadOnlyList<int> pictures, IReadOnlyList<bool> mirrored, int seed, int maximumFolds = 3)
    {
        Rows = rows;
        Mirrored = mirrored;
        var classes = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).Count();
        var distinct = pictures.Distinct().Count();
        Folds = Math.Clamp(distinct / (2 * classes), 2, maximumFolds);
        Fold = StratifiedFolds(rows, pictures, Folds, seed);
    }

    public IReadOnlyList<FeatureRow> Rows { get; }

    public IReadOnlyList<bool> Mirrored { get; }

    public int Folds { get; }

    public int[] Fold { get; }

    /// <summary>Whether fold training views go through ML.NET's cache (<see cref="CachedRows"/>); off only to prove it changes nothing.</summary>
    public bool Cached { get; init; } = true;

    public List<int> Members(int k) => [.. Enumerable.Range(0, Rows.Count).Where(i => Fold[i] == k)];

    public List<(IDataView Train, IDataView Test, int TestCount)> Splits(HeadSession session, bool scale)
    {
        var rows = scale ? [.. Rows.Select(r => new FeatureRow { Label = r.Label, Features = UnitLength(r.Features) })] : Rows;
        return [.. Enumerable.Range(0, Folds).Select(k =>
        {
            var test = Members(k);
            var train = rows.Where((_, i) => Fold[i] != k);
            return (Cached ? session.LoadCached(train) : session.Load(train), session.Load(test.Select(i => rows[i])), test.Count);
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
