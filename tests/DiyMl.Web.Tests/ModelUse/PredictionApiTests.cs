using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DiyMl.Web.Tests.ModelUse;

public sealed class PredictionApiTests(UsePortal portal) : IClassFixture<UsePortal>
{
    [Fact]
    public async Task Owner_predicts_with_an_unpublished_model_and_gets_label_confidence_and_top_k()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 11);

        using var response = await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/predictions?k=2",
            MultipartBuilder.Files(("disc.png", ShapeImages.Png("red", 90001)), ("square.png", ShapeImages.Png("blue", 90002))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answers = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, answers.GetArrayLength());
        Assert.Equal("disc.png", answers[0].GetProperty("fileName").GetString());
        Assert.Equal("red", answers[0].GetProperty("label").GetString());
        Assert.Equal("blue", answers[1].GetProperty("label").GetString());
        Assert.Equal(2, answers[0].GetProperty("top").GetArrayLength());
        Assert.InRange(answers[0].GetProperty("confidence").GetDouble(), 0, 1);
        Assert.Contains(answers[0].GetProperty("uncertain").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
    }

    [Fact]
    public async Task Bad_files_get_their_own_error_and_the_good_ones_are_still_answered()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 12);
        var png = ShapeImages.Png("red", 90003);

        using var response = await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/predictions", MultipartBuilder.Files(
            ("good.png", png),
            ("truncated.png", png[..(png.Length / 2)]),
            ("notes.txt", "not an image at all"u8.ToArray()),
            ("empty.jpg", [])));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answers = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("red", answers[0].GetProperty("label").GetString());
        for (var i = 1; i < 4; i++)
        {
            Assert.False(string.IsNullOrWhiteSpace(answers[i].GetProperty("error").GetString()), answers[i].ToString());
            Assert.Equal(JsonValueKind.Null, answers[i].GetProperty("label").ValueKind);
        }
    }

    [Fact]
    public async Task A_request_without_files_or_with_a_bad_k_is_a_400_with_the_field_named()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 13);

        using var noFiles = await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/predictions", new MultipartFormDataContent { { new StringContent("x"), "other" } });
        using var badK = await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/predictions?k=0", MultipartBuilder.Files(("a.png", ShapeImages.Png("red", 1))));
        using var json = await owner.Client.PostAsJsonAsync($"/api/models/{owner.Model.Id}/predictions", new { files = "nope" });

        Assert.Equal(HttpStatusCode.BadRequest, noFiles.StatusCode);
        Assert.Contains("files", await noFiles.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badK.StatusCode);
        Assert.Contains("\"k\"", await badK.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode); // the rule of every file route: not multipart at all is a 415
    }

    [Fact]
    public async Task Publish_then_predict_with_an_api_key_then_unpublish_stops_the_key_at_once()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 14);
        var script = await portal.CreateKeyClientAsync(owner.Client);
        var url = $"/api/models/{owner.Model.Id}/predictions";

        using (var before = await script.PostAsync(url, MultipartBuilder.Files(("a.png", ShapeImages.Png("red", 5)))))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        using (var publish = await owner.Client.PostAsJsonAsync($"/api/models/{owner.Model.Id}/publish", new { name = "Shapes", description = "red or blue" }))
        {
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        using (var published = await script.PostAsync(url, MultipartBuilder.Files(("a.png", ShapeImages.Png("red", 5)))))
        {
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
            Assert.Equal("red", (await published.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("label").GetString());
        }

        using (var unpublish = await owner.Client.DeleteAsync($"/api/models/{owner.Model.Id}/publish"))
        {
            Assert.Equal(HttpStatusCode.NoContent, unpublish.StatusCode);
        }

        using var after = await script.PostAsync(url, MultipartBuilder.Files(("a.png", ShapeImages.Png("red", 5))));
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task Publishing_a_new_version_under_the_same_name_switches_without_any_request_failing()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 15);
        var second = await portal.TrainAsync(owner.UserId, owner.DatasetId, seed: 16);
        var script = await portal.CreateKeyClientAsync(owner.Client);
        using var first = await owner.Client.PostAsJsonAsync($"/api/models/{owner.Model.Id}/publish", new { name = "Shapes", description = "v1" });
        var publicationId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var image = ShapeImages.Png("blue", 7);

        // Scripts keep calling the published name while the owner switches it to the second model.
        var calls = Enumerable.Range(0, 12).Select(async _ =>
        {
            using var response = await script.PostAsync($"/api/published-models/{publicationId}/predictions", MultipartBuilder.Files(("b.png", image)));
            return response.StatusCode;
        }).ToList();
        using var switched = await owner.Client.PostAsJsonAsync($"/api/models/{second.Id}/publish", new { name = "Shapes", description = "v2" });
        var statuses = await Task.WhenAll(calls);

        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        var publication = await switched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(publicationId, publication.GetProperty("id").GetString());
        Assert.Equal(2, publication.GetProperty("versionNumber").GetInt32());
        Assert.Equal(second.Id, publication.GetProperty("modelId").GetString());
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));

        // The first model is no longer published, so keys lose it; the name answers with the second.
        using var old = await script.PostAsync($"/api/models/{owner.Model.Id}/predictions", MultipartBuilder.Files(("b.png", image)));
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        var list = await owner.Client.GetFromJsonAsync<JsonElement>("/api/published-models?scope=mine");
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Another_user_cannot_publish_predict_test_or_read_reports_of_someone_elses_model()
    {
        var alice = await portal.CreateTrainedUserAsync(seed: 17);
        var bob = await portal.CreateUserClientAsync();
        var id = alice.Model.Id;

        using var publish = await bob.PostAsJsonAsync($"/api/models/{id}/publish", new { name = "Mine now" });
        using var predict = await bob.PostAsync($"/api/models/{id}/predictions", MultipartBuilder.Files(("a.png", ShapeImages.Png("red", 1))));
        using var test = await bob.PostAsJsonAsync($"/api/models/{id}/tests", new { datasetId = alice.DatasetId });
        using var report = await bob.GetAsync($"/api/models/{id}/report");
        using var csv = await bob.GetAsync($"/api/models/{id}/report?format=csv");
        using var unpublish = await bob.DeleteAsync($"/api/models/{id}/publish");

        Assert.All([publish, predict, test, report, csv, unpublish], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
    }

    [Fact]
    public async Task Another_users_api_key_may_use_a_published_model_but_not_an_unpublished_one()
    {
        var alice = await portal.CreateTrainedUserAsync(seed: 18);
        var bob = await portal.CreateUserClientAsync();
        var bobsScript = await portal.CreateKeyClientAsync(bob);
        var url = $"/api/models/{alice.Model.Id}/predictions";

        using var unpublished = await bobsScript.PostAsync(url, MultipartBuilder.Files(("a.png", ShapeImages.Png("red", 1))));
        using var publish = await alice.Client.PostAsJsonAsync($"/api/models/{alice.Model.Id}/publish", new { name = "Public shapes" });
        using var published = await bobsScript.PostAsync(url, MultipartBuilder.Files(("a.png", ShapeImages.Png("red", 1))));
        using var bobsBearer = await bob.PostAsync(url, MultipartBuilder.Files(("a.png", ShapeImages.Png("red", 1))));

        Assert.Equal(HttpStatusCode.NotFound, unpublished.StatusCode);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bobsBearer.StatusCode);
    }
}
