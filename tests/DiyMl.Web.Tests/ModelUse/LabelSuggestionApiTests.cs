using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Domain.Datasets;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.ModelUse;

public sealed class LabelSuggestionApiTests(UsePortal portal) : IClassFixture<UsePortal>
{
    [Fact]
    public async Task Unlabelled_pictures_get_the_latest_models_class_surest_first_and_accepting_one_labels_it()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 41);
        var ids = await AddUnlabelledAsync(owner, ("red", 93001), ("blue", 93002), ("red", 93003));

        var answer = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/datasets/{owner.DatasetId}/label-suggestions");

        Assert.Equal(owner.Model.Id, answer.GetProperty("modelId").GetString());
        Assert.Equal(3, answer.GetProperty("unlabelled").GetInt64());
        var items = answer.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        var byImage = items.ToDictionary(i => i.GetProperty("imageId").GetString()!, i => i.GetProperty("label").GetString());
        Assert.Equal("red", byImage[ids[0]]);
        Assert.Equal("blue", byImage[ids[1]]);
        Assert.Equal("red", byImage[ids[2]]);
        var confidences = items.Select(i => i.GetProperty("confidence").GetDouble()).ToList();
        Assert.Equal(confidences.OrderByDescending(c => c), confidences);
        Assert.All(confidences, c => Assert.InRange(c, 0, 1));

        // Accepting is the ordinary relabel: the picture leaves the unlabelled pile.
        using var accept = await owner.Client.PatchAsJsonAsync($"/api/datasets/{owner.DatasetId}/images/{ids[1]}", new { label = byImage[ids[1]] });
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        var after = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/datasets/{owner.DatasetId}/label-suggestions");
        Assert.Equal(2, after.GetProperty("unlabelled").GetInt64());
        Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), i => i.GetProperty("imageId").GetString() == ids[1]);
    }

    [Fact]
    public async Task Another_users_dataset_or_model_is_a_404_and_a_dataset_without_a_model_is_a_400()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 42);
        var stranger = await portal.CreateTrainedUserAsync(seed: 43);
        await AddUnlabelledAsync(owner, ("red", 93011));

        using var foreignDataset = await stranger.Client.GetAsync($"/api/datasets/{owner.DatasetId}/label-suggestions");
        using var foreignModel = await owner.Client.GetAsync($"/api/datasets/{owner.DatasetId}/label-suggestions?modelId={stranger.Model.Id}");
        Assert.Equal(HttpStatusCode.NotFound, foreignDataset.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignModel.StatusCode);
        Assert.Equal("application/problem+json", foreignModel.Content.Headers.ContentType?.MediaType);

        using var created = await owner.Client.PostAsJsonAsync("/api/datasets", new { name = "Nothing trained yet" });
        var fresh = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var noModel = await owner.Client.GetAsync($"/api/datasets/{fresh}/label-suggestions");
        Assert.Equal(HttpStatusCode.BadRequest, noModel.StatusCode);
        Assert.Contains("Train a model", await noModel.Content.ReadAsStringAsync());

        using var badLimit = await owner.Client.GetAsync($"/api/datasets/{owner.DatasetId}/label-suggestions?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task A_model_the_person_picks_is_used_and_renamed_away_classes_are_never_suggested()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 44);
        var ids = await AddUnlabelledAsync(owner, ("blue", 93021));
        using var rename = await owner.Client.PatchAsJsonAsync($"/api/datasets/{owner.DatasetId}/classes/blue", new { name = "square" });
        Assert.True(rename.IsSuccessStatusCode, await rename.Content.ReadAsStringAsync());

        var answer = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/datasets/{owner.DatasetId}/label-suggestions?modelId={owner.Model.Id}");

        // The model still says "blue", which the dataset no longer has: it proposes its next best class that exists.
        var item = Assert.Single(answer.GetProperty("items").EnumerateArray());
        Assert.Equal(ids[0], item.GetProperty("imageId").GetString());
        Assert.Equal("red", item.GetProperty("label").GetString());
    }

    private async Task<List<string>> AddUnlabelledAsync(TrainedUser owner, params (string Shape, int Seed)[] pictures)
    {
        var ingest = portal.Services.GetRequiredService<ImageIngestService>();
        var files = pictures.Select(p => ($"new-{p.Seed}.png", (Stream)new MemoryStream(ShapeImages.Png(p.Shape, p.Seed))));
        var report = await ingest.IngestAsync(owner.UserId, owner.DatasetId, files);
        return report.Files.Select(f => f.ImageId!).ToList();
    }
}
