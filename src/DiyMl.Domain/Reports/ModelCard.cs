using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;

namespace DiyMl.Domain.Reports;

/// <summary>One class on the model card: how many images taught it and how well it is recognised.</summary>
public sealed record CardClass(string Label, int? TrainImages, int ValidationImages, double Precision, double Recall, double F1);

/// <summary>A printable summary: what the model was trained on, how it does per class, and its known limits.</summary>
public sealed record ModelCard(ModelReport Report, IReadOnlyList<CardClass> Classes, IReadOnlyList<string> Limits);

/// <summary>Builds model cards; the limits are plain sentences a person can act on.</summary>
public sealed class ModelCardService(ModelReportService reports, IImageStore images)
{
    /// <summary>Below this many training images a class is called out as a limit.</summary>
    public const int FewImages = 20;

    public async Task<ModelCard> GetAsync(string userId, string modelId, CancellationToken ct = default)
    {
        var report = await reports.GetAsync(userId, modelId, ModelReportService.DefaultDays, ct);
        var train = await TrainCountsAsync(report, ct);
        var classes = report.Training.Classes.Select(label =>
        {
            var metrics = report.Validation.PerClass.FirstOrDefault(c => c.Label == label);
            return new CardClass(label, train?.GetValueOrDefault(label), metrics?.Support ?? 0, metrics?.Precision ?? 0, metrics?.Recall ?? 0, metrics?.F1 ?? 0);
        }).ToList();
        return new ModelCard(report, classes, Limits(report, classes));
    }

    private async Task<Dictionary<string, int>?> TrainCountsAsync(ModelReport report, CancellationToken ct)
    {
        if (report.Training.DatasetName is null)
        {
            return null;
        }

        var trained = (await reports.TrainImageIdsAsync(report.Training.ModelId, ct)).ToHashSet(StringComparer.Ordinal);
        return (await images.ListByDatasetAsync(report.Training.DatasetId, ct))
            .Where(i => i.Label is not null && trained.Contains(i.Id))
            .GroupBy(i => i.Label!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    private static List<string> Limits(ModelReport report, IReadOnlyList<CardClass> classes)
    {
        var limits = new List<string>();
        foreach (var c in classes.Where(c => c.TrainImages is < FewImages))
        {
            limits.Add($"\"{c.Label}\" was learnt from only {Pictures(c.TrainImages ?? 0)}; answers for it are less reliable. Add more pictures of it and retrain.");
        }

        foreach (var c in classes.Where(c => c.ValidationImages > 0 && c.Recall < 0.7))
        {
            limits.Add($"\"{c.Label}\" is recognised in only {c.Recall:P0} of the pictures kept aside to check it.");
        }

        if (report.Validation.Count < 30)
        {
            limits.Add($"It was checked on only {Pictures(report.Validation.Count)}, so how often it is right may be off by several points.");
        }

        if (report.Training.LeakagePairs > 0)
        {
            limits.Add($"{(report.Training.LeakagePairs == 1 ? "1 pair of near-identical pictures was" : $"{report.Training.LeakagePairs} pairs of near-identical pictures were")} both learned from and used to check it, so it may be less often right than measured.");
        }

        foreach (var unknown in report.Tests.SelectMany(t => t.UnknownClasses).Select(u => u.Label).Distinct(StringComparer.Ordinal))
        {
            limits.Add($"Tests contained \"{unknown}\", a class this model was never taught; it always answers one of its own classes.");
        }

        limits.Add($"It only knows {string.Join(", ", report.Training.Classes)}: any other picture still gets one of these labels (often marked unsure, below {report.Training.UncertaintyThreshold:P0} sure).");
        return limits;
    }

    private static string Pictures(int count) => count == 1 ? "1 picture" : $"{count} pictures";
}
