using DiyMl.Domain.Common;
using DiyMl.Domain.Training;

namespace DiyMl.Domain.Models;

/// <summary>
/// A trained classifier and everything needed to reproduce and judge it: model type,
/// parameters, seed, the exact images on each side of the split, metrics and timings.
/// </summary>
public sealed class TrainedModel : Entity, IOwned
{
    public string OwnerId { get; set; } = "";

    public string Name { get; set; } = "";

    public string DatasetId { get; set; } = "";

    public string JobId { get; set; } = "";

    public string ModelTypeId { get; set; } = "";

    public Dictionary<string, double> Parameters { get; set; } = [];

    public int Seed { get; set; }

    public List<string> Classes { get; set; } = [];

    /// <summary>Blob holding the serialized model (for transfer models: the head only).</summary>
    public string ArtifactSha256 { get; set; } = "";

    public long ArtifactBytes { get; set; }

    public Evaluation Validation { get; set; } = new();

    public List<string> TrainImageIds { get; set; } = [];

    public List<string> ValidationImageIds { get; set; } = [];

    /// <summary>SHA-256 over the sorted (image SHA-256, label) pairs used: the exact data fingerprint.</summary>
    public string ManifestHash { get; set; } = "";

    /// <summary>Near-duplicate pairs that fell on both sides of the split (a leakage warning).</summary>
    public int LeakagePairs { get; set; }

    public Dictionary<string, double> StageSeconds { get; set; } = [];

    public Dictionary<string, string> LibraryVersions { get; set; } = [];

    public int CoreCount { get; set; }

    /// <summary>Below this top confidence a prediction is flagged "uncertain".</summary>
    public double UncertaintyThreshold { get; set; } = 0.5;

    /// <summary>Keep the pictures this model is asked about (off unless the owner turns it on).</summary>
    public bool KeepPredictionImages { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// How many pictures the stored model learned from. After measuring on the validation split
    /// the final model is refitted on every picture; 0 for models trained before that, which
    /// learned from the training split only.
    /// </summary>
    public int FinalTrainingImages { get; set; }

    /// <summary>The calibration temperature its confidences are rescaled with (1 = not calibrated).</summary>
    public double Temperature { get; set; } = 1;

    /// <summary>The feature space its head works in (null for pixel models and models from before it was recorded).</summary>
    public string? FeatureSpace { get; set; }

    /// <summary>
    /// Accuracy on the validation split when the same recipe learned from 25/50/75/100 % of the
    /// training pictures, fewest first; empty for models trained before it was measured.
    /// </summary>
    public List<LearningCurvePoint> LearningCurve { get; set; } = [];

    /// <summary>The model card's sentence on where the figures come from, or null for models that were not refitted.</summary>
    public string? LearnedFromNote()
    {
        var measured = ValidationImageIds.Count;
        if (FinalTrainingImages <= TrainImageIds.Count || measured == 0)
        {
            return null;
        }

        var share = (double)measured / (measured + TrainImageIds.Count);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"It was checked on the {measured} pictures kept aside ({Math.Round(share * 100):0} % of them); after that the final model learned from all {FinalTrainingImages} pictures.");
    }
}
