using DiyMl.Domain.Jobs;

namespace DiyMl.Domain.Training;

/// <summary>An image of the training set: its stored content (by SHA-256) and its class.</summary>
public sealed record LabelledImage(string ImageId, string Sha256, string Label);

/// <summary>Everything a trainer needs; the split has already been made (reproducibly) by the domain.</summary>
public sealed record TrainingInput(
    string ModelTypeId,
    IReadOnlyDictionary<string, double> Parameters,
    IReadOnlyList<LabelledImage> Train,
    IReadOnlyList<LabelledImage> Validation,
    int Seed);

/// <summary>A trainer's report: which stage, and how far through it (e.g. 48 of 500 images featurized).</summary>
public sealed record TrainingProgressUpdate(string Stage, int Done, int Total)
{
    /// <summary>A setting the trainer has just finished trying, and how it scored (for the live chart).</summary>
    public JobTrial? Trial { get; init; }
}

/// <summary>
/// What a finished training produced: the serialized model (for transfer models only the head
/// plus a reference to the backbone), its classes, its validation metrics and how long each stage took.
/// </summary>
public sealed record TrainedArtifact(
    byte[] Model,
    IReadOnlyList<string> Classes,
    Evaluation Validation,
    IReadOnlyDictionary<string, double> StageSeconds,
    IReadOnlyDictionary<string, string> LibraryVersions,
    int FeatureCacheHits,
    IReadOnlyDictionary<string, double> ChosenParameters)
{
    /// <summary>The calibration temperature the confidences are rescaled with (1 = none).</summary>
    public double Temperature { get; init; } = 1;

    /// <summary>How many pictures the stored model learned from: all of them when it was refitted after validation.</summary>
    public int FinalTrainingImages { get; init; }

    /// <summary>The feature space the model works in (null for pixel models).</summary>
    public string? FeatureSpace { get; init; }

    /// <summary>Validation accuracy when learning from a growing share of the training pictures (empty when not measured).</summary>
    public IReadOnlyList<LearningCurvePoint> LearningCurve { get; init; } = [];
}

/// <summary>
/// Trains one model type. Reports progress, honours cancellation within about a second in every
/// stage (featurizing and fitting), and never returns a half-trained model.
/// </summary>
public interface IModelTrainer
{
    Task<TrainedArtifact> TrainAsync(TrainingInput input, IProgress<TrainingProgressUpdate> progress, CancellationToken ct);
}

/// <summary>One label and its score (0..1); a prediction is a list of these, best first.</summary>
public sealed record ScoredLabel(string Label, double Score);

/// <summary>
/// Runs a trained model on images. Models are loaded once and cached; engines are pooled.
/// Each image gets its scores or, when it cannot be decoded, an error for that image only.
/// </summary>
public interface IModelPredictor
{
    Task<IReadOnlyList<PredictionOutcome>> PredictAsync(ModelHandle model, IReadOnlyList<ReadOnlyMemory<byte>> images, CancellationToken ct);

    /// <summary>Drops a cached model (after delete or unpublish).</summary>
    void Evict(string modelId);
}

/// <summary>Which model to load: its id (cache key), type and the blob holding its serialized form.</summary>
public sealed record ModelHandle(string ModelId, string ModelTypeId, string ArtifactSha256, IReadOnlyList<string> Classes);

public sealed record PredictionOutcome(IReadOnlyList<ScoredLabel>? Scores, string? Error);
