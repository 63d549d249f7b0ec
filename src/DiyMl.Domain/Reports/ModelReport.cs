using DiyMl.Domain.Testing;
using DiyMl.Domain.Training;

namespace DiyMl.Domain.Reports;

/// <summary>What the model was trained on and how: data, settings and how long each stage took.</summary>
public sealed record TrainingSummary(
    string ModelId,
    string Name,
    string ModelTypeId,
    string ModelTypeName,
    string DatasetId,
    string? DatasetName,
    IReadOnlyList<string> Classes,
    IReadOnlyDictionary<string, double> Parameters,
    int Seed,
    int TrainImages,
    int ValidationImages,
    IReadOnlyDictionary<string, double> StageSeconds,
    double TotalSeconds,
    int LeakagePairs,
    double UncertaintyThreshold,
    DateTime TrainedAt,
    string? LearnedFrom = null,
    double? CalibrationError = null);

/// <summary>One test run in a list: when, on what, and the headline figures.</summary>
public sealed record TestRunSummary(
    string Id,
    string DatasetId,
    string DatasetName,
    DateTime TestedAt,
    int Images,
    double Accuracy,
    double MacroF1,
    IReadOnlyList<UnknownClass> UnknownClasses)
{
    public static TestRunSummary From(ModelTestRun run) => new(
        run.Id, run.DatasetId, run.DatasetName, run.CreatedAt, run.Evaluation.Count, run.Evaluation.Accuracy, run.Evaluation.MacroF1, run.UnknownClasses);
}

/// <summary>Everything the report page, the JSON endpoint and the CSV export show about one model.</summary>
public sealed record ModelReport(
    TrainingSummary Training,
    Evaluation Validation,
    Evaluation? LatestTest,
    IReadOnlyList<TestRunSummary> Tests,
    UsageReport Usage,
    string? PublishedAs,
    DateTime GeneratedAt);
