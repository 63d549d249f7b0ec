using System.Security.Cryptography;
using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Tests.Ml;

namespace DiyMl.Bench;

/// <summary>
/// How honest the confidence is (issue 13 item 2), measured with enough pictures to mean
/// something: every usable top-level picture of the clip-art folders (not 60 a class), several
/// splits by drawing, Fashion-MNIST with 1,000 official test pictures; ECE over 15 and 10 bins,
/// a bootstrap interval, and the ECE a perfectly calibrated model would still show on that many
/// pictures (the sampling floor). Each split trains exactly as the portal does (the trainer's own
/// head fit: 20 % validation, refit on all) and judges the stored (refitted) model on the test
/// part, with the portal's temperature and with the alternatives the issue asks about.
/// Features are computed once per picture; the fits are the real ones.
/// </summary>
internal static class CalibrationStudy
{
    public static readonly string[] Variants = ["none", "portal", "T on final-estimator folds", "T + bias", "T by ECE", "pre-refit head"];

    /// <param name="precision">The network the ResNet models' features come from (<c>--precision</c>; INT8 by default, as new models in the portal).</param>
    public static void Run(Report report, ResNetFeaturizer resnet, int splits, bool quick, NetworkPrecision precision)
    {
        var space = ResNetFeaturizer.VersionFor(precision);
        var features = new Dictionary<string, float[]>(StringComparer.Ordinal);
        float[] V2(byte[] bytes)
        {
            var key = Convert.ToHexString(SHA256.HashData(bytes));
            if (!features.TryGetValue(key, out var f))
            {
                features[key] = f = resnet.Featurize(bytes, false, "study", bulk: true, space);
            }

            return f;
        }

        report.Line($"## Calibration study ({space}): {splits} splits per set, ECE over {Calibration.Bins} bins as the portal reports it and over 15 bins, 95 % bootstrap interval (1,000 resamples of the pooled test answers)");
        foreach (var set in Sets(splits, quick))
        {
            foreach (var type in ModelCatalog.All.Select(t => t.Id).Where(Report.TypeSelected))
            {
                var pooled = Variants.ToDictionary(v => v, _ => new List<(double Confidence, bool Correct)>());
                var temperatures = new List<string>();
                foreach (var (train, test) in set.Splits)
                {
                    var (parameters, spec) = (ModelCatalog.Resolve(type, null).Parameters, FeatureSpec.For(type, ModelCatalog.Resolve(type, null).Parameters, precision));
                    float[] Features(byte[] bytes) => spec.Transfer ? V2(bytes) : PixelFeatures.Compute(bytes, spec.PixelSize, spec.Colour, false, "study");
                    var outcome = Split(type, parameters, spec, train.Select(p => (p.Label, Features(p.Bytes))).ToList(), test.Select(p => (p.Label, Features(p.Bytes))).ToList());
                    foreach (var (variant, answers) in outcome.Answers)
                    {
                        pooled[variant].AddRange(answers);
                    }

                    temperatures.Add(outcome.Temperatures);
                }

                var portal = pooled["portal"];
                var (low, high) = Bootstrap(portal, 15);
                var (low10, high10) = Bootstrap(portal, Calibration.Bins);
                report.Line($"- {set.Name} {type}: {portal.Count} test answers over {set.Splits.Count} splits, accuracy {portal.Average(a => a.Correct ? 1.0 : 0.0):F3}; " +
                    $"portal ECE15 {Ece(portal, 15):F3} [{low:F3}, {high:F3}], ECE10 {Ece(portal, Calibration.Bins):F3} [{low10:F3}, {high10:F3}]; sampling floor ECE15 {Floor(portal, 15):F3}; " +
                    string.Join("; ", Variants.Where(pooled.ContainsKey).Where(v => pooled[v].Count > 0).Select(v => $"{v} {Ece(pooled[v], 15):F3}")) +
                    $"; temperatures {string.Join(" | ", temperatures)}");
            }
        }
    }

    /// <summary>One split trained the portal's way; the stored model's test answers under each calibrator.</summary>
    private static (Dictionary<string, List<(double, bool)>> Answers, string Temperatures) Split(
        string type, IReadOnlyDictionary<string, double> parameters, FeatureSpec spec, List<(string Label, float[] Features)> train, List<(string Label, float[] Features)> test)
    {
        var classes = train.Select(t => t.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var (head, fit) = PortalHead.Fit(type, parameters, spec, train);
        var session = head.Session!;
        var testRows = PortalHead.Rows(test);
        var truth = testRows.Select(r => session.ClassIndex(r.Label)).ToArray();
        var final = session.Probabilities(head.Final!, session.Load(testRows));
        var measured = session.Probabilities(head.Measured!, session.Load(testRows));

        List<(double, bool)> Answers(float[][] raw, Func<float[], double[]> calibrate) =>
            [.. raw.Select((p, i) =>
            {
                var calibrated = calibrate(p);
                var top = Array.IndexOf(calibrated, calibrated.Max());
                return (calibrated[top], top == truth[i]);
            })];

        var answers = new Dictionary<string, List<(double, bool)>>
        {
            ["none"] = Answers(final, p => Calibration.Apply(p, 1)),
            ["portal"] = Answers(final, p => Calibration.Apply(p, head.Temperature)),
            ["pre-refit head"] = Answers(measured, p => Calibration.Apply(p, head.Temperature)),
        };
        var (t, bias) = TemperatureAndBias(head.HeldOut, classes.Count);
        answers["T + bias"] = Answers(final, p => Biased(p, t, bias));
        var eceT = TemperatureByEce(head.HeldOut);
        answers["T by ECE"] = Answers(final, p => Calibration.Apply(p, eceT));
        var text = $"T {head.Temperature:0.###}, T+b {t:0.###}, T-ECE {eceT:0.###}";
        if (head.Chosen.TryGetValue("l2", out var l2))
        {
            // What the portal did before reusing the L2 search's fold models: fresh folds with the final estimator.
            var folds = new CrossValidationRows(fit, [.. Enumerable.Range(0, fit.Count)], [.. fit.Select(_ => false)], PortalHead.Seed);
            var heldOut = L2Search.HeldOut(session, folds, rows => HeadFactory.Create(session.Ml, spec, type, parameters, l2, rows, classes.Count, PortalHead.Seed), CancellationToken.None);
            var separate = Calibration.FitTemperature(heldOut);
            answers["T on final-estimator folds"] = Answers(final, p => Calibration.Apply(p, separate));
            text += $", T-final-folds {separate:0.###}";
        }

        return (answers, text);
    }

    /// <summary>softmax(log p / T + b), fitted by gradient descent on held-out log-loss (convex in 1/T and b).</summary>
    private static (double T, double[] Bias) TemperatureAndBias(IReadOnlyList<(float[] Probabilities, int Label)> heldOut, int classes)
    {
        var (a, b) = (1.0, new double[classes]);
        double Loss(double scale, double[] bias) => heldOut.Sum(r => -Math.Log(Math.Max(Softmax(r.Probabilities, scale, bias)[r.Label], 1e-12)));
        var loss = Loss(a, b);
        var step = 1.0;
        for (var iteration = 0; iteration < 300 && heldOut.Count > 0; iteration++)
        {
            var (ga, gb) = (0.0, new double[classes]);
            foreach (var (p, label) in heldOut)
            {
                var q = Softmax(p, a, b);
                for (var c = 0; c < classes; c++)
                {
                    var g = q[c] - (c == label ? 1 : 0);
                    ga += g * Math.Log(Math.Max(p[c], 1e-12));
                    gb[c] += g;
                }
            }

            // A small ridge on the bias: a handful of pictures a class must not buy a class its own prior.
            for (var c = 0; c < classes; c++)
            {
                gb[c] += 0.1 * b[c];
            }

            while (step > 1e-9)
            {
                var (na, nb) = (a - (step * ga / heldOut.Count), b.Select((v, c) => v - (step * gb[c] / heldOut.Count)).ToArray());
                var next = Loss(na, nb);
                if (next < loss)
                {
                    (a, b, loss) = (na, nb, next);
                    step *= 1.5;
                    break;
                }

                step /= 2;
            }
        }

        return (1 / a, b);
    }

    private static double[] Biased(float[] p, double t, double[] bias) => Softmax(p, 1 / t, bias);

    private static double[] Softmax(float[] p, double scale, double[] bias)
    {
        var z = p.Select((v, c) => (scale * Math.Log(Math.Max(v, 1e-12))) + bias[c]).ToArray();
        var max = z.Max();
        var e = z.Select(v => Math.Exp(v - max)).ToArray();
        var sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }

    /// <summary>The temperature minimising held-out ECE itself (15 bins) over a log grid: the alternative to log-loss.</summary>
    private static double TemperatureByEce(IReadOnlyList<(float[] Probabilities, int Label)> heldOut) =>
        Enumerable.Range(0, 121).Select(i => Math.Exp(Math.Log(0.1) + (i * (Math.Log(10) - Math.Log(0.1)) / 120)))
            .MinBy(t => Ece([.. heldOut.Select(r =>
            {
                var q = Calibration.Apply(r.Probabilities, t);
                var top = Array.IndexOf(q, q.Max());
                return (q[top], top == r.Label);
            })], 15));

    public static double Ece(IReadOnlyList<(double Confidence, bool Correct)> answers, int bins) =>
        answers.Count == 0 ? 0 : answers.GroupBy(s => Math.Min(bins - 1, (int)(s.Confidence * bins)))
            .Sum(b => Math.Abs(b.Average(s => s.Correct ? 1.0 : 0.0) - b.Average(s => s.Confidence)) * b.Count() / answers.Count);

    private static (double Low, double High) Bootstrap(List<(double Confidence, bool Correct)> answers, int bins)
    {
        var random = new Random(1);
        var values = Enumerable.Range(0, 1000).Select(_ => Ece([.. Enumerable.Range(0, answers.Count).Select(_ => answers[random.Next(answers.Count)])], bins)).Order().ToArray();
        return (values[25], values[974]);
    }

    /// <summary>Mean ECE of a perfectly calibrated model giving the same confidences: right with exactly that probability.</summary>
    private static double Floor(List<(double Confidence, bool Correct)> answers, int bins)
    {
        var random = new Random(2);
        return Enumerable.Range(0, 200).Average(_ => Ece([.. answers.Select(a => (a.Confidence, random.NextDouble() < a.Confidence))], bins));
    }

    private sealed record Picture(string Label, string Group, byte[] Bytes);

    private sealed record StudySet(string Name, List<(List<Picture> Train, List<Picture> Test)> Splits);

    private static IEnumerable<StudySet> Sets(int splits, bool quick)
    {
        foreach (var (name, folders) in Quality.Sets)
        {
            var pictures = folders.SelectMany(folder => Directory.GetFiles(Path.Combine(Quality.ClipArt, folder), "*.png").Order(StringComparer.Ordinal)
                .Where(Quality.Usable).Take(quick ? 20 : int.MaxValue)
                .Select(file => new Picture(folder.Split('/')[^1], Quality.GroupOf(file), File.ReadAllBytes(file)))).ToList();
            yield return new StudySet(name, [.. Enumerable.Range(1, splits).Select(seed => ByDrawing(pictures, seed))]);
        }

        var fashionTest = FashionMnist.Load(test: true, Enumerable.Range(0, 10).ToArray(), perClass: quick ? 10 : 100).Select(f => new Picture(f.Label, "", f.Png)).ToList();
        yield return new StudySet("fashion-mnist", [.. Enumerable.Range(1, splits).Select(seed => (
            FashionMnist.Load(test: false, Enumerable.Range(0, 10).ToArray(), perClass: quick ? 10 : 40, skip: 50 + (seed * 40)).Select(f => new Picture(f.Label, "", f.Png)).ToList(),
            fashionTest))]);
    }

    /// <summary>Quality.Load's split by drawing (~30 % of each class in test), groups ordered by a seeded hash so each seed splits differently.</summary>
    private static (List<Picture> Train, List<Picture> Test) ByDrawing(List<Picture> pictures, int seed)
    {
        var (train, test) = (new List<Picture>(), new List<Picture>());
        foreach (var label in pictures.GroupBy(p => p.Label, StringComparer.Ordinal))
        {
            var taken = 0;
            var total = label.Count();
            foreach (var group in label.GroupBy(p => p.Group, StringComparer.Ordinal).OrderBy(g => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{seed}:{g.Key}"))), StringComparer.Ordinal))
            {
                var toTest = taken < total * 0.3;
                (toTest ? test : train).AddRange(group);
                taken += toTest ? group.Count() : 0;
            }
        }

        return (train, test);
    }
}
