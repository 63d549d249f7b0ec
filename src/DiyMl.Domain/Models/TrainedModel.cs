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
}
