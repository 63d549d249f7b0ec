using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml;

namespace DiyMl.Bench;

/// <summary>
/// A head fitted on feature rows the way the portal trains one: a seeded shuffle per class holds
/// 20 % out for validation, the trainer's own head fit measures on it and refits on all. The
/// studies that judge a network or a calibrator on their own test pictures share this.
/// </summary>
internal static class PortalHead
{
    public const int Seed = 42;

    /// <returns>The head, and the rows it was fitted on (the 80 %), for studies that refit variants on them.</returns>
    public static (MlModelTrainer.FittedHead Head, List<FeatureRow> Fitted) Fit(
        string type, IReadOnlyDictionary<string, double> parameters, FeatureSpec spec, IReadOnlyList<(string Label, float[] Features)> train)
    {
        var classes = train.Select(t => t.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var random = new Random(Seed);
        var (fit, validation) = (new List<FeatureRow>(), new List<FeatureRow>());
        foreach (var group in train.GroupBy(t => t.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            var held = (int)Math.Round(members.Length * 0.2);
            validation.AddRange(members.Take(held).Select(Row));
            fit.AddRange(members.Skip(held).Select(Row));
        }

        var input = new MlModelTrainer.HeadInput(type, parameters, spec, classes, Seed, [.. fit, .. validation], fit.Count, [.. Enumerable.Range(0, fit.Count)]);
        return (MlModelTrainer.FitHead(input, new Progress<TrainingProgressUpdate>(), [], CancellationToken.None), fit);
    }

    public static List<FeatureRow> Rows(IEnumerable<(string Label, float[] Features)> pictures) => [.. pictures.Select(Row)];

    /// <summary>The machine's load averages (1, 5, 15 min), printed beside every figure.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static FeatureRow Row((string Label, float[] Features) picture) => new() { Label = picture.Label, Features = picture.Features };
}
