using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;
using DiyMl.Domain.Training;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace DiyMl.E2E;

/// <summary>
/// Gives a browser user a trained model without clicking through training: a dataset of generated
/// shapes ingested and a fast pixel model trained by a real training job.
/// </summary>
public static class ModelSeeder
{
    public static async Task<TrainedModel> SeedModelAsync(this PortalFixture portal, string email)
    {
        var services = portal.Services;
        var userId = await UserIdAsync(services, email);
        var dataset = await services.GetRequiredService<DatasetService>().CreateAsync(userId, "Shapes", "generated");
        var ingest = services.GetRequiredService<ImageIngestService>();
        foreach (var shape in new[] { "red", "blue" })
        {
            await ingest.IngestAsync(userId, dataset.Id, Enumerable.Range(0, 10).Select(i => ($"{shape}-{i}.png", (Stream)new MemoryStream(Shape(shape, i)))), shape);
        }

        // Trained the way a user does: a training job, run by the portal's worker.
        var parameters = new Dictionary<string, double> { ["colour"] = 1, ["size"] = 16 };
        var job = await services.GetRequiredService<TrainingService>().StartAsync(userId, dataset.Id, ModelCatalog.Pixels, parameters);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (services.GetRequiredService<IJobNotifier>().SubscribeJob(job.Id, update =>
        {
            if (update.IsFinished)
            {
                finished.TrySetResult();
            }
        }))
        {
            if (!(await services.GetRequiredService<JobService>().GetAsync(userId, job.Id)).IsFinished)
            {
                await finished.Task.WaitAsync(TimeSpan.FromMinutes(2));
            }
        }

        var done = await services.GetRequiredService<JobService>().GetAsync(userId, job.Id);
        return done.Status == JobStatus.Succeeded
            ? (await services.GetRequiredService<ITrainedModelStore>().GetAsync(done.ModelId!))!
            : throw new InvalidOperationException($"Training the seed model ended {done.Status}: {done.Error}");
    }

    public static Task<string> UserIdAsync(this PortalFixture portal, string email) => UserIdAsync(portal.Services, email);

    /// <summary>The id of a registered user; UserManager is scoped, so it is asked within a scope.</summary>
    private static async Task<string> UserIdAsync(IServiceProvider services, string email)
    {
        using var scope = services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
    }

    /// <summary>A red disc or a blue square, 32 px, slightly different for each seed.</summary>
    public static byte[] Shape(string shape, int seed)
    {
        var random = new Random(seed);
        using var surface = SKSurface.Create(new SKImageInfo(32, 32));
        surface.Canvas.Clear(new SKColor(240, 240, (byte)random.Next(220, 255)));
        using var paint = new SKPaint { IsAntialias = true, Color = shape == "red" ? new SKColor(220, 30, 30) : new SKColor(30, 30, 220) };
        var r = random.Next(7, 11);
        if (shape == "red")
        {
            surface.Canvas.DrawCircle(16 + random.Next(-3, 4), 16 + random.Next(-3, 4), r, paint);
        }
        else
        {
            surface.Canvas.DrawRect(16 - r + random.Next(-3, 4), 16 - r + random.Next(-3, 4), 2 * r, 2 * r, paint);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
