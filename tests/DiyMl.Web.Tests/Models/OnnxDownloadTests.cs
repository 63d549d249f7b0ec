using System.Net;
using System.Text.Json;
using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Domain.Models;
using DiyMl.Domain.Training;
using DiyMl.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace DiyMl.Web.Tests.Models;

/// <summary><c>GET /api/models/{id}/download?format=onnx</c>: one ONNX file for the owner, a clear 4xx for everything else.</summary>
public sealed class OnnxDownloadTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Owner_downloads_an_onnx_file_that_onnx_runtime_opens_with_the_class_names_inside()
    {
        var (client, model) = await UserWithPixelModelAsync();

        var response = await client.GetAsync($"/api/models/{model.Id}/download?format=onnx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Flat-colours.onnx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var session = new InferenceSession(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["circle", "square"], JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap["labels"]) ?? []);
        Assert.Equal([1, 8, 8, 3], session.InputMetadata["image"].Dimensions);
        Assert.Equal([1, 2], session.OutputMetadata["probabilities"].Dimensions);
    }

    [Theory]
    [InlineData("pdf")]
    [InlineData("onnx2")]
    public async Task An_unknown_format_is_a_400_problem_naming_the_field(string format)
    {
        var (client, model) = await UserWithPixelModelAsync();

        var response = await client.GetAsync($"/api/models/{model.Id}/download?format={format}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("format", out _));
    }

    [Fact]
    public async Task Another_users_model_is_a_404_in_either_format()
    {
        var (_, model) = await UserWithPixelModelAsync();
        var stranger = await portal.CreateUserClientAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/models/{model.Id}/download?format=onnx")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/models/{model.Id}/download?format=mlnet")).StatusCode);
    }

    [Fact]
    public async Task Explicit_mlnet_format_is_still_the_zip()
    {
        var (client, model) = await UserWithPixelModelAsync();

        var response = await client.GetAsync($"/api/models/{model.Id}/download?format=mlnet");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Zip_downloads_are_composed_from_one_featurizer_part_kept_in_the_data_directory_and_load_in_mlnet()
    {
        var (client, model) = await UserWithPixelModelAsync();

        var first = await client.GetByteArrayAsync($"/api/models/{model.Id}/download");
        var second = await client.GetByteArrayAsync($"/api/models/{model.Id}/download");

        // One part for the feature space "8×8 colour pixels", reused, in the data directory (a volume in Docker).
        var parts = Directory.GetFiles(Path.Combine(portal.DataDirectory, "exports"), "featurizer-pixels-8-colour-*.zip");
        Assert.Single(parts);
        Assert.Equal(Entries(first), Entries(second));
        var path = Path.Combine(portal.DataDirectory, $"download-{Guid.NewGuid():N}.zip");
        await File.WriteAllBytesAsync(path, first);
        var loaded = new Microsoft.ML.MLContext().Model.Load(path, out var schema);
        Assert.NotNull(schema.GetColumnOrNull("ImagePath"));
        Assert.NotNull(loaded.GetOutputSchema(schema).GetColumnOrNull("PredictedLabel"));
        File.Delete(path);
    }

    private static List<(string Name, string Sha256)> Entries(byte[] zip)
    {
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip));
        return [.. archive.Entries.Select(e =>
        {
            using var stream = e.Open();
            return (e.FullName, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream)));
        })];
    }

    /// <summary>A real (tiny) pixel model, trained directly by the ML engine on two flat colours, owned by a new user.</summary>
    private async Task<(HttpClient Client, TrainedModel Model)> UserWithPixelModelAsync()
    {
        var email = PortalFactory.NewEmail("onnx");
        var client = await portal.CreateUserClientAsync(email);
        AppUser? user;
        using (var scope = portal.Services.CreateScope())
        {
            user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        }

        var blobs = portal.Services.GetRequiredService<IBlobStore>();
        var images = new List<LabelledImage>();
        foreach (var (label, colour) in new[] { ("circle", SKColors.Red), ("square", SKColors.Blue) })
        {
            for (var i = 0; i < 6; i++)
            {
                using var bitmap = new SKBitmap(16, 16);
                bitmap.Erase(colour.WithGreen((byte)(i * 20)));
                using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                var image = await blobs.PutAsync(new MemoryStream(png.ToArray()));
                images.Add(new LabelledImage(Ids.New(), image.Sha256, label));
            }
        }

        var (type, parameters) = ModelCatalog.Resolve(ModelCatalog.Pixels, new Dictionary<string, double> { ["size"] = 8, ["colour"] = 1 });
        var (train, validation) = DatasetSplit.Split(images, 0.34, 1);
        var trained = await portal.Services.GetRequiredService<IModelTrainer>()
            .TrainAsync(new TrainingInput(type.Id, parameters, train, validation, 1), new Progress<TrainingProgressUpdate>(), CancellationToken.None);
        var blob = await blobs.PutAsync(new MemoryStream(trained.Model));
        var model = new TrainedModel
        {
            OwnerId = user!.Id,
            Name = "Flat colours",
            DatasetId = Ids.New(),
            ModelTypeId = ModelCatalog.Pixels,
            Classes = [.. trained.Classes],
            ArtifactSha256 = blob.Sha256,
            ArtifactBytes = blob.Length,
            Validation = trained.Validation,
            CreatedAt = DateTime.UtcNow,
        };
        await portal.Services.GetRequiredService<ITrainedModelStore>().InsertAsync(model);
        return (client, model);
    }
}
