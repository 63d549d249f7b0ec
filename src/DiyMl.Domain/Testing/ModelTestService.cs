using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;

namespace DiyMl.Domain.Testing;

/// <summary>
/// Tests of a model on a labelled dataset: start one (a job), list and compare the runs, look
/// at the images behind a confusion-matrix cell, and fix a wrong label in the source dataset.
/// </summary>
public sealed class ModelTestService(
    ITrainedModelStore models,
    IDatasetStore datasets,
    IImageStore images,
    IModelTestStore tests,
    JobService jobs,
    GalleryService gallery)
{
    public async Task<Job> StartAsync(string userId, string modelId, string? datasetId, CancellationToken ct = default)
    {
        var model = await OwnedModelAsync(userId, modelId, ct);
        if (string.IsNullOrWhiteSpace(datasetId))
        {
            throw new DomainValidationException("datasetId", "Choose the dataset to test the model on.");
        }

        var dataset = (Ids.IsValid(datasetId) ? await datasets.GetAsync(datasetId, ct) : null).EnsureOwnedBy(userId, "Dataset", datasetId);
        var labelled = (await images.CountByLabelAsync(dataset.Id, dataset.Classes, ct)).Where(c => c.Key.Length > 0).Sum(c => c.Value);
        if (labelled == 0)
        {
            throw new DomainValidationException("datasetId", "This dataset has no labelled images to test with. Label some images first.");
        }

        return await jobs.CreateAsync(userId, JobRequest.Of(JobKind.ModelTest, new ModelTestJobInput(dataset.Id), dataset.Id, model.Id), ct);
    }

    public async Task<IReadOnlyList<ModelTestRun>> ListAsync(string userId, string modelId, CancellationToken ct = default)
    {
        var model = await OwnedModelAsync(userId, modelId, ct);
        return await tests.ListForModelAsync(model.Id, ct);
    }

    public async Task<ModelTestRun> GetAsync(string userId, string modelId, string runId, CancellationToken ct = default)
    {
        var model = await OwnedModelAsync(userId, modelId, ct);
        var run = (await tests.GetAsync(runId, ct)).EnsureOwnedBy(userId, "Test run", runId);
        return run.ModelId == model.Id ? run : throw new NotFoundException("Test run", runId);
    }

    public async Task<Page<TestPrediction>> PredictionsAsync(string userId, string modelId, string runId, TestPredictionQuery query, CancellationToken ct = default)
    {
        var run = await GetAsync(userId, modelId, runId, ct);
        if (query.Take is < 1 or > 500)
        {
            throw new DomainValidationException("pageSize", "A page holds between 1 and 500 images.");
        }

        var (items, total) = await tests.PredictionsAsync(run.Id, query with { Skip = Math.Max(0, query.Skip) }, ct);
        return new Page<TestPrediction>(items, total);
    }

    /// <summary>Gives a test image a new label in its dataset (creating the class if needed) and notes it on the test answer.</summary>
    public async Task<TestPrediction> RelabelAsync(string userId, string modelId, string runId, string predictionId, string? label, CancellationToken ct = default)
    {
        var run = await GetAsync(userId, modelId, runId, ct);
        var prediction = await tests.GetPredictionAsync(predictionId, ct);
        if (prediction is null || prediction.RunId != run.Id)
        {
            throw new NotFoundException("Test image", predictionId);
        }

        if (string.IsNullOrWhiteSpace(label))
        {
            throw new DomainValidationException("label", "Choose the class this image really belongs to.");
        }

        await gallery.SetLabelAsync(userId, run.DatasetId, [prediction.ImageId], label.Trim(), ct);
        var image = await images.GetAsync(prediction.ImageId, ct);
        prediction.RelabelledTo = image?.Label ?? label.Trim();
        await tests.ReplacePredictionAsync(prediction, ct);
        return prediction;
    }

    private async Task<TrainedModel> OwnedModelAsync(string userId, string modelId, CancellationToken ct) =>
        (Ids.IsValid(modelId) ? await models.GetAsync(modelId, ct) : null).EnsureOwnedBy(userId, "Model", modelId);
}
