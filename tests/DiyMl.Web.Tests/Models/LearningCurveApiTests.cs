using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Training;
using DiyMl.Web.Tests.ModelUse;

namespace DiyMl.Web.Tests.Models;

/// <summary>The learning curve and the settings tried, as scripts read them after a real training by the portal's worker.</summary>
public sealed class LearningCurveApiTests(UsePortal portal) : IClassFixture<UsePortal>
{
    [Fact]
    public async Task A_trained_model_carries_a_four_point_learning_curve_and_its_job_the_settings_tried()
    {
        var user = await portal.CreateTrainedUserAsync(seed: 11, perClass: 8);
        var ct = TestContext.Current.CancellationToken;
        using var started = await user.Client.PostAsJsonAsync(
            "/api/training-jobs",
            new { datasetId = user.DatasetId, modelType = ModelCatalog.Pixels, parameters = new Dictionary<string, double> { ["colour"] = 1, ["size"] = 16, ["seed"] = 11 } },
            ct);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var jobId = (await started.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
        var finished = await portal.WaitForJobAsync(user.UserId, jobId);
        Assert.Equal(JobStatus.Succeeded, finished.Status);

        using var model = JsonDocument.Parse(await user.Client.GetStringAsync($"/api/models/{finished.ModelId}", ct));
        var curve = model.RootElement.GetProperty("learningCurve").EnumerateArray().ToList();
        Assert.Equal(4, curve.Count);
        var images = curve.Select(p => p.GetProperty("images").GetInt32()).ToList();
        // 8 pictures per class, 2 kept aside each: 6 per class to learn from, a share of each class.
        Assert.Equal([4, 6, 10, 12], images);
        Assert.Equal(model.RootElement.GetProperty("trainImages").GetInt32(), images[^1]);
        Assert.All(curve, p => Assert.InRange(p.GetProperty("accuracy").GetDouble(), 0, 1));
        Assert.Equal(model.RootElement.GetProperty("validation").GetProperty("accuracy").GetDouble(), curve[^1].GetProperty("accuracy").GetDouble());
        Assert.StartsWith("More pictures", model.RootElement.GetProperty("learningCurveAdvice").GetString(), StringComparison.Ordinal);

        using var job = JsonDocument.Parse(await user.Client.GetStringAsync($"/api/jobs/{jobId}", ct));
        var trials = job.RootElement.GetProperty("progress").GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(9, trials.Count);
        Assert.All(trials, t =>
        {
            Assert.Equal("l2", t.GetProperty("setting").GetString());
            Assert.InRange(t.GetProperty("score").GetDouble(), 0, 1);
        });
        Assert.Contains("learning curve", job.RootElement.GetProperty("progress").GetProperty("stageSeconds").EnumerateObject().Select(p => p.Name.ToLowerInvariant()));
    }
}
