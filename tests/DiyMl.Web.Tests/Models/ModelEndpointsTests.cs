using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Domain.Models;
using DiyMl.Domain.Training;
using DiyMl.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Cleanup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace DiyMl.Web.Tests.Models;

public sealed class ModelEndpointsTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(HttpClient Client, TrainedModel Model)> UserWithModelAsync(bool trained = false)
    {
        var email = PortalFactory.NewEmail("owner");
        var client = await portal.CreateUserClientAsync(email);
        AppUser? user;
        using (var scope = portal.Services.CreateScope())
        {
            user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        }

        var artifact = trained ? await TrainPixelModelAsync() : [1, 2, 3, (byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256)];
        var blob = await portal.Services.GetRequiredService<IBlobStore>().PutAsync(new MemoryStream(artifact));
        var model = new TrainedModel
        {
            OwnerId = user!.Id,
            Name = "Shapes",
            DatasetId = Ids.New(),
            ModelTypeId = ModelCatalog.Pixels,
            Classes = ["circle", "square"],
            ArtifactSha256 = blob.Sha256,
            ArtifactBytes = blob.Length,
            Validation = Evaluation.FromConfusion(["circle", "square"], [[3, 1], [0, 4]]),
            CreatedAt = DateTime.UtcNow,
        };
        await portal.Services.GetRequiredService<ITrainedModelStore>().InsertAsync(model);
        return (client, model);
    }

    /// <summary>A real (tiny) pixel model, trained directly by the ML engine on two flat colours.</summary>
    private async Task<byte[]> TrainPixelModelAsync()
    {
        var blobs = portal.Services.GetRequiredService<IBlobStore>();
        var images = new List<LabelledImage>();
        foreach (var (label, colour) in new[] { ("circle", SKColors.Red), ("square", SKColors.Blue) })
        {
            for (var i = 0; i < 6; i++)
            {
                using var bitmap = new SKBitmap(16, 16);
                bitmap.Erase(colour.WithGreen((byte)(i * 20)));
                using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                var blob = await blobs.PutAsync(new MemoryStream(png.ToArray()));
                images.Add(new LabelledImage(Ids.New(), blob.Sha256, label));
            }
        }

        var (type, parameters) = ModelCatalog.Resolve(ModelCatalog.Pixels, new Dictionary<string, double> { ["size"] = 8, ["colour"] = 1 });
        var (train, validation) = DatasetSplit.Split(images, 0.34, 1);
        var result = await portal.Services.GetRequiredService<IModelTrainer>()
            .TrainAsync(new TrainingInput(type.Id, parameters, train, validation, 1), new Progress<TrainingProgressUpdate>(), CancellationToken.None);
        return result.Model;
    }

    [Fact]
    public async Task Owner_lists_and_reads_a_model_with_its_metrics()
    {
        var (client, model) = await UserWithModelAsync();

        var list = await client.GetFromJsonAsync<JsonElement>("/api/models");
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/models/{model.Id}");

        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(model.Id, list.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal(0.875, detail.GetProperty("validation").GetProperty("accuracy").GetDouble(), 6);
        Assert.Equal(4, detail.GetProperty("validation").GetProperty("confusionMatrix")[1][1].GetInt32());
    }

    [Fact]
    public async Task Another_user_gets_404_on_every_model_route()
    {
        var (_, model) = await UserWithModelAsync();
        var stranger = await portal.CreateUserClientAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/models/{model.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PatchAsJsonAsync($"/api/models/{model.Id}", new { name = "mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.DeleteAsync($"/api/models/{model.Id}")).StatusCode);
        Assert.Equal(0, (await stranger.GetFromJsonAsync<JsonElement>("/api/models")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Bad_updates_are_refused_naming_the_field()
    {
        var (client, model) = await UserWithModelAsync();

        var response = await client.PatchAsJsonAsync($"/api/models/{model.Id}", new { uncertaintyThreshold = 1.5 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("uncertaintyThreshold", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Deleting_a_model_removes_it_and_its_stored_artifact()
    {
        var (client, model) = await UserWithModelAsync();

        var response = await client.DeleteAsync($"/api/models/{model.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/models/{model.Id}")).StatusCode);
        var blobs = portal.Services.GetRequiredService<IBlobStore>();
        Assert.True(await blobs.ExistsAsync(model.ArtifactSha256)); // kept through the grace period…

        // …and removed by the sweep once it has passed (a clock an hour and more ahead).
        var later = new LaterClock(TimeSpan.FromMinutes(61));
        var sweeper = new BlobSweeper(
            portal.Services.GetRequiredService<ISweepableBlobStore>(),
            portal.Services.GetServices<IBlobReferenceSource>(),
            portal.Services.GetRequiredService<IOptions<BlobSweepOptions>>(),
            later,
            NullLogger<BlobSweeper>.Instance);
        await sweeper.SweepAsync(default);
        Assert.False(await blobs.ExistsAsync(model.ArtifactSha256));
    }

    private sealed class LaterClock(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
    }

    [Fact]
    public async Task A_trained_model_downloads_as_an_ml_net_zip_for_its_owner_only()
    {
        var (client, model) = await UserWithModelAsync(trained: true);
        var stranger = await portal.CreateUserClientAsync();

        var response = await client.GetAsync($"/api/models/{model.Id}/download");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".mlnet.zip", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/models/{model.Id}/download")).StatusCode);
    }

    [Fact]
    public async Task Model_types_list_the_catalog_with_one_default()
    {
        var client = await portal.CreateUserClientAsync();

        var types = await client.GetFromJsonAsync<JsonElement>("/api/model-types");

        var items = types.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(ModelCatalog.All.Count, items.Count);
        Assert.Single(items, t => t.GetProperty("isDefault").GetBoolean());
        Assert.Contains(items, t => t.GetProperty("id").GetString() == "pixels"
            && t.GetProperty("parameters").EnumerateArray().Any(p => p.GetProperty("name").GetString() == "size"));
    }
}
