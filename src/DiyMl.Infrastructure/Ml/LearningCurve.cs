using System.Diagnostics;
using DiyMl.Domain.Training;
using Microsoft.ML;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// After a training: the accuracy on the validation split when the same recipe (the chosen
/// settings, no new search) learns from 25, 50 and 75 % of the training pictures; the 100 %
/// point is the model's own validation accuracy. Cheap: the features are already in memory, so
/// it costs three head fits, run side by side. Subsets are nested and drawn per class with the
/// training seed (every class keeps at least one picture), so the same training always draws
/// the same curve and a rise is more pictures, not different ones. A mirrored copy goes with
/// its picture: it is that picture seen twice.
/// </summary>
internal static class LearningCurve
{
    public const string Stage = "Learning curve";

    private static readonly double[] Shares = [0.25, 0.5, 0.75];

    public static IReadOnlyList<LearningCurvePoint> Measure(
        HeadSession session,
        Func<int, IEstimator<ITransformer>> estimator,
        IReadOnlyList<FeatureRow> trainRows,
        IReadOnlyList<int> pictures,
        IReadOnlyList<FeatureRow> validationRows,
        double fullAccuracy,
        int seed,
        IProgress<TrainingProgressUpdate> progress,
        Dictionary<string, double> stages,
        CancellationToken ct)
    {
        var order = PictureOrder(trainRows, pictures, seed);
        var total = order.Values.Sum(p => p.Count);
        if (validationRows.Count == 0)
        {
            return [];
        }

        var watch = Stopwatch.StartNew();
        progress.Report(new TrainingProgressUpdate(Stage, 0, Shares.Length));
        var validation = session.Load(validationRows);
        var truth = validationRows.Select(r => session.ClassIndex(r.Label)).ToArray();
        var points = new LearningCurvePoint[Shares.Length];
        try
        {
            MlCancellation.Run(session.Ml, () => Parallel.For(0, Shares.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, s =>
            {
                var chosen = Subset(order, Shares[s]);
                var rows = Enumerable.Range(0, trainRows.Count).Where(i => chosen.Contains(pictures[i])).Select(i => trainRows[i]).ToList();
                var model = estimator(rows.Count).Fit(session.LoadCached(rows));
                var probabilities = session.Probabilities(model, validation);
                var right = probabilities.Where((p, i) => ArgMax(p) == truth[i]).Count();
                points[s] = new LearningCurvePoint { Images = chosen.Count, Accuracy = (double)right / truth.Length };
            }), ct);
        }
        catch (Exception e) when ((e is AggregateException or InvalidOperationException or ArgumentException) && !ct.IsCancellationRequested)
        {
            // The curve is advice on top of a model that is already good to save: a trainer that
            // cannot fit a quarter of the pictures (too few rows for its settings) leaves the
            // model without a curve, which the pages show as nothing, rather than failing it.
            return [];
        }

        progress.Report(new TrainingProgressUpdate(Stage, Shares.Length, Shares.Length));
        stages["learning curve"] = watch.Elapsed.TotalSeconds;
        return [.. points, new LearningCurvePoint { Images = total, Accuracy = fullAccuracy }];
    }

    /// <summary>Each class's distinct pictures in a seeded shuffled order: a share takes a prefix of each.</summary>
    internal static SortedDictionary<string, List<int>> PictureOrder(IReadOnlyList<FeatureRow> rows, IReadOnlyList<int> pictures, int seed)
    {
        var random = new Random(seed);
        var order = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var group in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.Select(i => pictures[i]).Distinct().Order().ToArray();
            random.Shuffle(members);
            order[group.Key] = [.. members];
        }

        return order;
    }

    internal static HashSet<int> Subset(SortedDictionary<string, List<int>> order, double share) =>
        [.. order.Values.SelectMany(members => members.Take(Math.Max(1, (int)Math.Round(members.Count * share, MidpointRounding.AwayFromZero))))];

    private static int ArgMax(float[] scores)
    {
        var best = 0;
        for (var c = 1; c < scores.Length; c++)
        {
            best = scores[c] > scores[best] ? c : best;
        }

        return best;
    }
}
