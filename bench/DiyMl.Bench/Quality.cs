using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Ml;
using SkiaSharp;

namespace DiyMl.Bench;

/// <summary>
/// Model quality on colour picture sets built from Debian's openclipart-png (docs/model-quality.md):
/// each model type is trained through the real trainer on the training part and judged through
/// the real predictor on held-out pictures - accuracy and expected calibration error of the
/// confidences a person would see - beside the bare network's speed measured just before.
/// Written only against APIs that existed before feature space v2, so the same file measures
/// "before" on a snapshot of main and "after" here.
/// </summary>
internal static partial class Quality
{
    public const string ClipArt = "/usr/share/openclipart/png";

    public static readonly (string Name, string[] Folders)[] Sets =
    [
        ("clipart-5", ["animals/mammals", "food/fruit", "transportation/vehicles", "recreation/music", "tools"]),
        ("clipart-10", ["animals/mammals", "animals/birds", "animals/bugs", "food/fruit", "food/desserts", "food/beverages", "transportation/vehicles", "transportation/boating", "buildings/homes", "recreation/sports"]),
    ];

    /// <summary>
    /// Pictures of one folder per class (top level only), at most <paramref name="perClass"/>. Variants of one drawing
    /// share a name but for a trailing number ("acquila_architetto_franc_01/02/03"), so they form
    /// one group and a group is wholly in training or wholly in the test part (~30 %).
    /// </summary>
    public static (List<(string Label, byte[] Bytes)> Train, List<(string Label, byte[] Bytes)> Test) Load(string[] folders, int perClass)
    {
        var (train, test) = (new List<(string, byte[])>(), new List<(string, byte[])>());
        foreach (var folder in folders)
        {
            var label = folder.Split('/')[^1];
            var files = Directory.GetFiles(Path.Combine(ClipArt, folder), "*.png").Order(StringComparer.Ordinal).Where(Usable).Take(perClass).ToList();
            var groups = files.GroupBy(GroupOf).OrderBy(g => Hash(g.Key), StringComparer.Ordinal).ToList();
            var taken = 0;
            foreach (var group in groups)
            {
                var toTest = taken < files.Count * 0.3;
                foreach (var file in group)
                {
                    (toTest ? test : train).Add((label, File.ReadAllBytes(file)));
                    taken += toTest ? 1 : 0;
                }
            }
        }

        return (train, test);
    }

    public static async Task MeasureAsync(Report report, string set, MlModelTrainer trainer, MlModelPredictor predictor, FileBlobStore blobs, ResNetFeaturizer resnet,
        List<LabelledImage> train, List<(string Label, byte[] Bytes)> test, string type, Dictionary<string, double> parameters)
    {
        var bare = Throughput.BareRate(resnet, 40);
        var watch = Stopwatch.StartNew();
        var trained = await trainer.TrainAsync(new TrainingInput(type, parameters, train, [], 42), new Progress<TrainingProgressUpdate>(), CancellationToken.None);
        var seconds = watch.Elapsed.TotalSeconds;
        var blob = await blobs.PutAsync(new MemoryStream(trained.Model));
        var outcomes = await predictor.PredictAsync(new ModelHandle(Ids.New(), type, blob.Sha256, trained.Classes), [.. test.Select(t => (ReadOnlyMemory<byte>)t.Bytes)], CancellationToken.None);
        var scored = outcomes.Zip(test).Select(p => (Confidence: p.First.Scores![0].Score, Correct: p.First.Scores[0].Label == p.Second.Label)).ToList();
        var accuracy = scored.Average(s => s.Correct ? 1.0 : 0.0);
        var meanConfidenceRight = scored.Where(s => s.Correct).DefaultIfEmpty().Average(s => s.Confidence);
        var parameterText = parameters.Count == 0 ? "defaults" : string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value}"));
        report.Line($"- {set} {type} ({parameterText}): test accuracy {accuracy:F3}, ECE {Ece(scored):F3}, mean confidence when right {meanConfidenceRight:F2}; " +
            $"{train.Count} training / {test.Count} test pictures; training {seconds:F1} s wall = {seconds * bare:F0} bare-network images at the {bare:F1} img/s measured just before" +
            $"{(trained.ChosenParameters.Count > 0 ? $"; chosen {string.Join(", ", trained.ChosenParameters.Select(c => $"{c.Key} {c.Value}"))}" : "")}");
    }

    /// <summary>Expected calibration error over 10 equal-width confidence bins.</summary>
    public static double Ece(IReadOnlyList<(double Confidence, bool Correct)> scored) =>
        scored.GroupBy(s => Math.Min(9, (int)(s.Confidence * 10)))
            .Sum(b => Math.Abs(b.Average(s => s.Correct ? 1.0 : 0.0) - b.Average(s => s.Confidence)) * b.Count() / scored.Count);

    // A few clip-art PNGs are posters of 100+ megapixels: the portal refuses those at upload anyway.
    internal static bool Usable(string path)
    {
        using var codec = SKCodec.Create(path);
        return codec is not null && (long)codec.Info.Width * codec.Info.Height <= 4_000_000;
    }

    internal static string GroupOf(string path) => TrailingNumber().Replace(Path.GetFileNameWithoutExtension(path), "");

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    [GeneratedRegex(@"[_\-. ]*\d*$")]
    private static partial Regex TrailingNumber();
}
