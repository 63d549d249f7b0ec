using System.Net.Http.Json;
using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;
using DiyMl.Domain.Training;
using DiyMl.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.ModelUse;

/// <summary>A signed-in user with a dataset of shapes and a model trained on it.</summary>
public sealed record TrainedUser(HttpClient Client, string Email, string UserId, string DatasetId, TrainedModel Model);

/// <summary>
/// The portal with a job worker, plus a way to get a user with a trained model. Models are
/// trained through the real trainer (the fast pixel model on generated shapes) and stored with
/// the real stores, so predictions, tests and reports run end to end.
/// </summary>
public class UsePortal : PortalFactory
{
    public UsePortal() => Settings["Jobs:Workers"] = "1";

    public async Task<TrainedUser> CreateTrainedUserAsync(int seed = 1, int perClass = 12)
    {
        var email = NewEmail("use");
        var client = await CreateUserClientAsync(email);
        var userId = await UserIdAsync(Services, email);
        var datasets = Services.GetRequiredService<DatasetService>();
        var dataset = await datasets.CreateAsync(userId, $"Shapes {seed}", "generated");
        var ingest = Services.GetRequiredService<ImageIngestService>();
        foreach (var shape in new[] { "red", "blue" })
        {
            var files = Enumerable.Range(0, perClass).Select(i => ($"{shape}-{i}.png", (Stream)new MemoryStream(ShapeImages.Png(shape, seed * 1000 + i))));
            await ingest.IngestAsync(userId, dataset.Id, files, shape);
        }

        var model = await TrainAsync(userId, dataset.Id, seed);
        return new TrainedUser(client, email, userId, dataset.Id, model);
    }

    /// <summary>Trains a small colour-pixel model the way a user does: a training job, run by the portal's worker.</summary>
    public async Task<TrainedModel> TrainAsync(string userId, string datasetId, int seed)
    {
        var parameters = new Dictionary<string, double> { ["colour"] = 1, ["size"] = 16, ["seed"] = seed };
        var job = await Services.GetRequiredService<TrainingService>().StartAsync(userId, datasetId, ModelCatalog.Pixels, parameters);
        var finished = await WaitForJobAsync(userId, job.Id);
        if (finished.Status != JobStatus.Succeeded)
        {
            throw new InvalidOperationException($"Training the seed model ended {finished.Status}: {finished.Error}");
        }

        return (await Services.GetRequiredService<ITrainedModelStore>().GetAsync(finished.ModelId!))!;
    }

    /// <summary>Registers an API key for the client's user and returns a client that sends only that key.</summary>
    public async Task<HttpClient> CreateKeyClientAsync(HttpClient owner)
    {
        using var response = await owner.PostAsJsonAsync("/api/api-keys", new { name = "script" });
        response.EnsureSuccessStatusCode();
        var key = (await response.Content.ReadFromJsonAsync<KeyResponse>())!.Key;
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>Waits for a job to finish by listening to its notifications (no polling sleeps).</summary>
    public async Task<Job> WaitForJobAsync(string ownerId, string jobId)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Services.GetRequiredService<IJobNotifier>().SubscribeJob(jobId, update =>
        {
            if (update.IsFinished)
            {
                finished.TrySetResult();
            }
        });
        var jobs = Services.GetRequiredService<JobService>();
        var job = await jobs.GetAsync(ownerId, jobId);
        if (!job.IsFinished)
        {
            await finished.Task.WaitAsync(TimeSpan.FromMinutes(2));
        }

        return await jobs.GetAsync(ownerId, jobId);
    }

    /// <summary>What a half-done upload would leave behind: how many datasets the user has and the bytes of pictures they store.</summary>
    public async Task<(long Datasets, long StoredBytes)> StoredStateAsync(TrainedUser user)
    {
        var datasets = await user.Client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/datasets");
        var bytes = await Services.GetRequiredService<IImageStore>().SumSizeByOwnerAsync(user.UserId);
        return (datasets.GetProperty("total").GetInt64(), bytes);
    }

    /// <summary>The id of a registered user; UserManager is scoped, so it is asked within a scope.</summary>
    private static async Task<string> UserIdAsync(IServiceProvider services, string email)
    {
        using var scope = services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
    }

    private sealed record KeyResponse(string Id, string Name, string Key);
}
