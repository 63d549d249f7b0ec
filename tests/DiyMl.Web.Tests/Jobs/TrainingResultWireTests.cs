using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Training;
using DiyMl.Web.Tests.ModelUse;

namespace DiyMl.Web.Tests.Jobs;

/// <summary>What scripts read from a finished training, produced by the real handler and trainer, not a fake.</summary>
public sealed class TrainingResultWireTests(UsePortal portal) : IClassFixture<UsePortal>
{
    [Fact]
    public async Task A_real_training_jobs_result_has_camelCase_names_on_the_wire()
    {
        var user = await portal.CreateTrainedUserAsync(seed: 7, perClass: 8);
        using var started = await user.Client.PostAsJsonAsync(
            "/api/training-jobs",
            new { datasetId = user.DatasetId, modelType = ModelCatalog.Pixels, parameters = new Dictionary<string, double> { ["colour"] = 1, ["size"] = 16, ["seed"] = 7 } },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var jobId = (await started.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString()!;
        Assert.Equal(JobStatus.Succeeded, (await portal.WaitForJobAsync(user.UserId, jobId)).Status);

        using var wire = JsonDocument.Parse(await user.Client.GetStringAsync($"/api/jobs/{jobId}", TestContext.Current.CancellationToken));
        var job = wire.RootElement;
        var result = job.GetProperty("result");
        var names = result.EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(["accuracy", "macroF1", "leakagePairs", "featureCacheHits"], names);
        Assert.InRange(result.GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("notice").ValueKind);
        Assert.False(string.IsNullOrEmpty(job.GetProperty("modelId").GetString()));
    }
}
