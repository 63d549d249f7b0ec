using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Domain.Models;
using DiyMl.Domain.Training;
using DiyMl.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.Models;

public sealed class ModelEndpointsTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(HttpClient Client, TrainedModel Model)> UserWithModelAsync()
    {
        var email = PortalFactory.NewEmail("owner");
        var client = await portal.CreateUserClientAsync(email);
        AppUser? user;
        using (var scope = portal.Services.CreateScope())
        {
            user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        }

        var blob = await portal.Services.GetRequiredService<IBlobStore>().PutAsync(new MemoryStream([1, 2, 3, (byte)Random.Shared.Next(256), (byte)Random.Shared.Next(256)]));
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
        Assert.False(await portal.Services.GetRequiredService<IBlobStore>().ExistsAsync(model.ArtifactSha256));
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
