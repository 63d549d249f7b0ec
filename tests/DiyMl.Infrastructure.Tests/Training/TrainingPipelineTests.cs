using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;
using DiyMl.Domain.Training;

namespace DiyMl.Infrastructure.Tests.Training;

/// <summary>Training as a person triggers it: dataset in, job through the runner, model out.</summary>
public sealed class TrainingPipelineTests(TrainingHost host) : IClassFixture<TrainingHost>
{
    private static readonly string[] TwoShapes = ["circle", "square"];

    [Fact]
    public async Task Training_the_default_model_saves_a_model_that_beats_chance_and_records_how_it_was_made()
    {
        var user = Ids.New();
        var datasetId = await host.CreateShapesDatasetAsync(user, TwoShapes, perClass: 15);

        var job = await host.Get<TrainingService>().StartAsync(user, datasetId, null, null);
        var finished = await host.WaitForFinishAsync(user, job.Id);

        Assert.Equal(JobStatus.Succeeded, finished.Status);
        var model = await host.Get<ModelService>().GetAsync(user, finished.ModelId!);
        Assert.Equal(ModelCatalog.ResNetLbfgs, model.ModelTypeId);
        Assert.True(model.Validation.Accuracy > 0.75, $"accuracy {model.Validation.Accuracy}");
        Assert.Equal(["circle", "square"], model.Classes.Order());
        Assert.Equal(24, model.TrainImageIds.Count);
        Assert.Equal(6, model.ValidationImageIds.Count);
        Assert.Equal(64, model.ManifestHash.Length);
        Assert.Equal(Environment.ProcessorCount, model.CoreCount);
        Assert.True(model.ArtifactBytes is > 0 and < 1_000_000, $"stored model is {model.ArtifactBytes} bytes");
        Assert.Contains("Featurizing", finished.Progress.StageSeconds.Keys);
    }

    [Fact]
    public async Task Retraining_with_the_same_seed_gives_the_same_metrics_from_cached_features()
    {
        var user = Ids.New();
        var datasetId = await host.CreateShapesDatasetAsync(user, TwoShapes, perClass: 10, seed: 2);
        var training = host.Get<TrainingService>();

        var first = await host.WaitForFinishAsync(user, (await training.StartAsync(user, datasetId, null, null)).Id);
        var second = await host.WaitForFinishAsync(user, (await training.StartAsync(user, datasetId, null, null)).Id);

        var models = host.Get<ModelService>();
        var a = await models.GetAsync(user, first.ModelId!);
        var b = await models.GetAsync(user, second.ModelId!);
        Assert.Equal(a.Validation.ConfusionMatrix, b.Validation.ConfusionMatrix);
        Assert.Equal(a.Validation.LogLoss, b.Validation.LogLoss);
        Assert.Equal(a.ValidationImageIds, b.ValidationImageIds);
        var result = JobJson.Result<TrainingResult>(second);
        Assert.Equal(a.TrainImageIds.Count + a.ValidationImageIds.Count, result.FeatureCacheHits);
    }

    [Fact]
    public async Task Near_identical_pictures_on_both_sides_of_the_split_are_reported_as_leakage()
    {
        var user = Ids.New();
        var datasetId = await host.CreateShapesDatasetAsync(user, TwoShapes, perClass: 6, seed: 3);
        await host.AddNearCopiesAsync(user, datasetId, "circle", copies: 6);

        var job = await host.Get<TrainingService>().StartAsync(user, datasetId, ModelCatalog.Pixels,
            new Dictionary<string, double> { [ModelCatalog.ValidationSplit] = 0.4 });
        var finished = await host.WaitForFinishAsync(user, job.Id);

        var model = await host.Get<ModelService>().GetAsync(user, finished.ModelId!);
        Assert.True(model.LeakagePairs > 0, "copies of one picture were split across train and validation");
    }

    [Fact]
    public async Task A_dataset_with_one_class_is_refused_before_anything_runs()
    {
        var user = Ids.New();
        var datasetId = await host.CreateShapesDatasetAsync(user, ["circle"], perClass: 5, seed: 4);

        var error = await Assert.ThrowsAsync<DomainValidationException>(() =>
            host.Get<TrainingService>().StartAsync(user, datasetId, null, null));

        Assert.Contains("datasetId", error.Errors.Keys);
        Assert.Contains("at least 2 classes", error.Message);
        Assert.Equal(0, (await host.Get<JobService>().ListAsync(user, new JobQuery())).Total);
    }

    [Fact]
    public async Task Another_users_dataset_cannot_be_trained_on()
    {
        var owner = Ids.New();
        var datasetId = await host.CreateShapesDatasetAsync(owner, TwoShapes, perClass: 2, seed: 5);

        await Assert.ThrowsAsync<NotFoundException>(() =>
            host.Get<TrainingService>().StartAsync(Ids.New(), datasetId, null, null));
    }

    [Fact]
    public async Task A_cancelled_training_leaves_no_model_behind()
    {
        var user = Ids.New();
        var datasetId = await host.CreateShapesDatasetAsync(user, TwoShapes, perClass: 40, seed: 6);

        var job = await host.Get<TrainingService>().StartAsync(user, datasetId, null, null);
        var featurizing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (host.Get<IJobNotifier>().SubscribeJob(job.Id, s =>
        {
            if (s.Progress.Stage == "Featurizing" || s.IsFinished)
            {
                featurizing.TrySetResult();
            }
        }))
        {
            await featurizing.Task.WaitAsync(TimeSpan.FromMinutes(2));
        }

        await host.Get<JobService>().CancelAsync(user, job.Id);
        var finished = await host.WaitForFinishAsync(user, job.Id);

        Assert.Equal(JobStatus.Cancelled, finished.Status);
        Assert.Null(finished.ModelId);
        Assert.Equal(0, (await host.Get<ModelService>().ListAsync(user, 1, 10)).Total);
    }
}
