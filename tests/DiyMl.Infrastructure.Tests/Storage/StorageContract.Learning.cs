using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;
using DiyMl.Domain.Training;

namespace DiyMl.Infrastructure.Tests.Storage;

public abstract partial class StorageContract
{
    [Fact]
    public async Task A_models_learning_curve_and_a_jobs_settings_tried_come_back_as_stored()
    {
        var models = Engine.Collection<TrainedModel>("models_curve");
        var model = new TrainedModel
        {
            OwnerId = "owner",
            LearningCurve = [new() { Images = 5, Accuracy = 0.5 }, new() { Images = 10, Accuracy = 0.625 }, new() { Images = 15, Accuracy = 0.75 }, new() { Images = 20, Accuracy = 0.8125 }],
        };
        var jobs = Engine.Collection<Job>("jobs_trials");
        var job = new Job { OwnerId = "owner" };
        job.Progress.Trials.AddRange([new JobTrial { Setting = "l2", Value = 0.001, Score = 0.75 }, new JobTrial { Setting = "l2", Value = 1, Score = 0.5 }]);

        await models.InsertAsync(model);
        await jobs.InsertAsync(job);
        var storedModel = await models.GetAsync(model.Id);
        var storedJob = await jobs.GetAsync(job.Id);

        Assert.Equal([(5, 0.5), (10, 0.625), (15, 0.75), (20, 0.8125)], storedModel!.LearningCurve.Select(p => (p.Images, p.Accuracy)));
        Assert.Equal([("l2", 0.001, 0.75), ("l2", 1.0, 0.5)], storedJob!.Progress.Trials.Select(t => (t.Setting, t.Value, t.Score)));
    }
}
