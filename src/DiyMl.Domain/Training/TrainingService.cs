using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;

namespace DiyMl.Domain.Training;

/// <summary>
/// Plans and starts trainings. The rules a person meets before anything runs live here: at
/// least two classes, at least two images in each, parameters within range.
/// </summary>
public sealed class TrainingService(IDatasetStore datasets, IImageStore images, JobService jobs)
{
    public const int MinClasses = 2;
    public const int MinImagesPerClass = 2;

    public async Task<TrainingPlan> PlanAsync(string userId, string? datasetId, string? modelTypeId,
        IReadOnlyDictionary<string, double>? parameters, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(datasetId))
        {
            throw new DomainValidationException("datasetId", "Choose the dataset to train on.");
        }

        var (type, resolved) = ModelCatalog.Resolve(modelTypeId ?? ModelCatalog.Default.Id, parameters);
        var dataset = (Ids.IsValid(datasetId) ? await datasets.GetAsync(datasetId, ct) : null).EnsureOwnedBy(userId, "Dataset", datasetId);
        var all = await images.ListByDatasetAsync(dataset.Id, ct);
        var perClass = all.Where(i => i.Label is not null)
            .GroupBy(i => i.Label!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var labelled = perClass.Values.Sum();

        var problems = new List<string>();
        if (dataset.Purpose == DatasetPurpose.Test)
        {
            problems.Add("This is a test set, kept to test a model; training on it would make its test results meaningless. Turn it into a dataset first if you mean to train on it.");
        }

        if (perClass.Count < MinClasses)
        {
            problems.Add($"A model needs at least {MinClasses} classes with images; this dataset has {perClass.Count}. Add images of another kind of thing.");
        }

        problems.AddRange(perClass.Where(c => c.Value < MinImagesPerClass)
            .Select(c => $"Class '{c.Key}' has {c.Value} image; each class needs at least {MinImagesPerClass}."));

        var validation = perClass.Values.Sum(n => n < 2 ? 0 : Math.Clamp((int)Math.Round(n * resolved[ModelCatalog.ValidationSplit], MidpointRounding.AwayFromZero), 1, n - 1));
        return new TrainingPlan(dataset.Id, dataset.Name, type, resolved, perClass, all.Count - labelled,
            labelled - validation, validation, Estimate(type.Id, labelled, resolved), problems);
    }

    public async Task<Job> StartAsync(string userId, string? datasetId, string? modelTypeId,
        IReadOnlyDictionary<string, double>? parameters, CancellationToken ct = default)
    {
        var plan = await PlanAsync(userId, datasetId, modelTypeId, parameters, ct);
        if (!plan.CanStart)
        {
            throw new DomainValidationException("datasetId", string.Join(" ", plan.Problems));
        }

        var input = new TrainingJobInput(plan.ModelType.Id, new Dictionary<string, double>(plan.Parameters));
        return await jobs.CreateAsync(userId, JobRequest.Of(JobKind.Training, input, plan.DatasetId), ct);
    }

    // Before anything ran, only a quiet server's speed is known (docs/benchmarks.md, 2 cores):
    // loading the image network 3-7 s on a first training, ResNet18 featurizing ~20 images/s per
    // core through the whole job (the bare network does more), pixels ~500/s per core, then
    // learning ~4 ms per picture. A busy server is slower, a retrain with cached features much
    // faster: the page says "on a quiet server" and shows the measured time left once running.
    private static double Estimate(string modelTypeId, int images, IReadOnlyDictionary<string, double> parameters)
    {
        var flip = parameters.TryGetValue(ModelCatalog.AugmentFlip, out var f) && f > 0 ? 2 : 1;
        var cores = Math.Max(1, Environment.ProcessorCount);
        return modelTypeId == ModelCatalog.Pixels
            ? 1 + images * flip / (500.0 * cores) + images * 0.012 / cores
            : 5 + images * flip / (20.0 * cores) + images * 0.008 / cores;
    }
}
