using System.Globalization;
using DiyMl.Domain.Training;

namespace DiyMl.Web.Components.Shared;

/// <summary>
/// The one place the portal turns counts, confidences, model types and settings into the words a
/// person who does not program reads. The catalog ids stay as they are; only what is shown changes.
/// </summary>
public static class Words
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>"1 image", "2 images"; pass the plural when adding "s" is wrong ("1 class", "2 classes").</summary>
    public static string Count(long count, string singular, string? plural = null) =>
        string.Create(Invariant, $"{count:N0} {(count == 1 ? singular : plural ?? singular + "s")}");

    /// <summary>"87 %": whole percentages read faster than "0.871" and say no more than the data can.</summary>
    public static string Percent(double share) =>
        string.Create(Invariant, $"{Math.Round(share * 100, MidpointRounding.AwayFromZero):0} %");

    /// <summary>
    /// A share as a bar's value, 0 to 100 in tenths: calibrated scores can be as small as 1e-91,
    /// which a progress bar would announce as an invalid aria-valuenow.
    /// </summary>
    public static double Bar(double share) => Math.Round(Math.Clamp(share, 0, 1) * 100, 1);

    /// <summary>Confidence in words; the thresholds match the bar colours so the word and the bar agree.</summary>
    public static string Sureness(double confidence) => confidence switch
    {
        >= 0.8 => "very sure",
        >= 0.5 => "fairly sure",
        _ => "unsure",
    };

    /// <summary>Model types named by what they are for.</summary>
    public static string ModelType(string id) => id switch
    {
        ModelCatalog.ResNetLbfgs => "Photos and drawings (recommended)",
        ModelCatalog.ResNetLightGbm => "Photos, with many pictures per class",
        ModelCatalog.Pixels => "Small simple pictures, fastest",
        _ => ModelCatalog.Find(id)?.Name ?? id,
    };

    /// <summary>A job stage as a sentence; the first moments of looking at pictures are the image network loading.</summary>
    public static string Stage(string stage, long done = 0) => stage.ToLowerInvariant() switch
    {
        "preparing" => "Getting your pictures ready…",
        "featurizing" when done == 0 => "Loading the image network…",
        "featurizing" => "Looking at your pictures",
        "trying settings" => "Trying settings",
        "fitting" => "Learning",
        "learning curve" => "Checking whether more pictures would help",
        "evaluating" => "Checking it on pictures it has not seen",
        "predicting" => "Looking at the pictures",
        "saving" => "Saving",
        _ => stage,
    };

    /// <summary>"It got 27 of 31 pictures it had not seen right (87 %)."</summary>
    public static string Overall(Evaluation e)
    {
        var correct = Enumerable.Range(0, e.Classes.Count).Sum(i => e.ConfusionMatrix[i][i]);
        return e.Count == 0
            ? "There were no pictures to check it on."
            : $"It got {correct} of {Count(e.Count, "picture")} it had not seen right ({Percent((double)correct / e.Count)}).";
    }

    /// <summary>"fruit: 4 of 6 right — mistaken for plant twice", the most frequent confusions first.</summary>
    public static string PerClass(Evaluation e, int row)
    {
        var cells = e.ConfusionMatrix[row];
        var total = cells.Sum();
        var mistakes = Enumerable.Range(0, cells.Count)
            .Where(c => c != row && cells[c] > 0)
            .OrderByDescending(c => cells[c])
            .Take(2)
            .Select(c => $"mistaken for {e.Classes[c]} {Times(cells[c])}")
            .ToList();
        var head = total == 0 ? $"{e.Classes[row]}: no pictures to check" : $"{e.Classes[row]}: {cells[row]} of {total} right";
        return mistakes.Count == 0 ? head : $"{head} — {string.Join(", ", mistakes)}";
    }

    /// <summary>A setting's value in words: shares as percentages, switches as on/off.</summary>
    public static string Setting(ModelParameter p, double value) => p.Type switch
    {
        ParameterType.Boolean => value > 0 ? "on" : "off",
        _ when p.Name == ModelCatalog.ValidationSplit => Percent(value),
        _ when p.Name == "l2" && value == 0 => "chosen by DIY ML",
        _ => value.ToString("G6", Invariant),
    };

    /// <summary>What a setting is called for a person; the wizard's labels in plain words.</summary>
    public static string SettingLabel(ModelParameter p) => p.Name switch
    {
        ModelCatalog.ValidationSplit => "Pictures kept aside to check it",
        "l2" => "How cautious the model is",
        ModelCatalog.AugmentFlip => "Also learn from mirrored pictures",
        ModelCatalog.Seed => "Random seed",
        _ => p.Label,
    };

    private static string Times(int n) => n switch
    {
        1 => "once",
        2 => "twice",
        _ => $"{n} times",
    };
}
