namespace DiyMl.Domain.Training;

/// <summary>What a training would use, and anything that stops it, before it is started.</summary>
public sealed record TrainingPlan(
    string DatasetId,
    string DatasetName,
    ModelType ModelType,
    IReadOnlyDictionary<string, double> Parameters,
    IReadOnlyDictionary<string, int> ImagesPerClass,
    int UnlabelledImages,
    int TrainImages,
    int ValidationImages,
    double EstimatedSeconds,
    IReadOnlyList<string> Problems)
{
    public bool CanStart => Problems.Count == 0;

    public int LabelledImages => ImagesPerClass.Values.Sum();
}

/// <summary>The job input of a training, as saved on the job document.</summary>
public sealed record TrainingJobInput(string ModelTypeId, Dictionary<string, double> Parameters);
