using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DiyMl.Domain.Jobs;

namespace DiyMl.Web.Tests.ModelUse;

/// <summary><c>POST /api/models/{id}/tests</c> with a zip of labelled folders instead of a dataset id.</summary>
public sealed class ZipTestApiTests(UsePortal portal) : IClassFixture<UsePortal>
{
    [Fact]
    public async Task A_zip_of_labelled_folders_becomes_a_dataset_and_the_model_is_tested_on_it()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 41);
        var zip = LabelledZip.Of([
            .. LabelledZip.Shapes(41_000, ("red", "red", 4), ("blue", "blue", 3), ("green", "blue", 2)),
            ("readme.txt", "not a picture"u8.ToArray()),
        ]);

        using var start = await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/tests", LabelledZip.Form("test-shapes.zip", zip));

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var answer = await start.Content.ReadFromJsonAsync<JsonElement>();
        var datasetId = answer.GetProperty("dataset").GetProperty("id").GetString()!;
        Assert.Equal(datasetId, answer.GetProperty("datasetId").GetString());
        Assert.Equal($"/api/datasets/{datasetId}", start.Headers.GetValues("X-Dataset-Location").Single());
        Assert.Equal(9, answer.GetProperty("upload").GetProperty("accepted").GetInt32());
        Assert.Equal(1, answer.GetProperty("upload").GetProperty("rejected").GetInt32());

        var job = await portal.WaitForJobAsync(owner.UserId, answer.GetProperty("id").GetString()!);
        Assert.Equal(JobStatus.Succeeded, job.Status);

        var run = (await owner.Client.GetFromJsonAsync<JsonElement>($"/api/models/{owner.Model.Id}/tests")).GetProperty("items")[0];
        Assert.Equal(datasetId, run.GetProperty("datasetId").GetString());
        var evaluation = run.GetProperty("evaluation");
        Assert.Equal(7, evaluation.GetProperty("count").GetInt32());
        Assert.Equal(["blue", "red"], evaluation.GetProperty("perClass").EnumerateArray().Select(c => c.GetProperty("label").GetString()).Order());
        Assert.InRange(evaluation.GetProperty("accuracy").GetDouble(), 0.0, 1.0);
        Assert.Equal("green", run.GetProperty("unknownClasses")[0].GetProperty("label").GetString());
        Assert.Equal(2, run.GetProperty("unknownClasses")[0].GetProperty("images").GetInt32());

        var dataset = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/datasets/{datasetId}");
        Assert.StartsWith("Test pictures · ", dataset.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal("test", dataset.GetProperty("purpose").GetString());
        Assert.Equal(9, dataset.GetProperty("imageCount").GetInt32());
        var classes = dataset.GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["red"] = 4, ["blue"] = 3, ["green"] = 2 }, classes);
    }

    [Fact]
    public async Task A_zip_without_labelled_pictures_is_refused_and_leaves_no_dataset_behind()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 42);
        var before = await portal.StoredStateAsync(owner);
        var loosePictures = LabelledZip.Of(("red.png", ShapeImages.Png("red", 1)), ("blue.png", ShapeImages.Png("blue", 2)));
        var noPictures = LabelledZip.Of(("red/notes.txt", "hello"u8.ToArray()), ("blue/fake.png", "<html></html>"u8.ToArray()));
        var empty = LabelledZip.Of();

        foreach (var (name, zip, says) in new[] { ("loose.zip", loosePictures, "none inside a class folder"), ("junk.zip", noPictures, "fake.png"), ("empty.zip", empty, "no pictures") })
        {
            using var response = await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/tests", LabelledZip.Form(name, zip));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains(says, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await portal.StoredStateAsync(owner));
    }

    [Fact]
    public async Task Another_users_model_answers_404_and_no_dataset_is_created()
    {
        var alice = await portal.CreateTrainedUserAsync(seed: 43);
        var bob = await portal.CreateTrainedUserAsync(seed: 44);
        var bobBefore = await portal.StoredStateAsync(bob);
        var zip = LabelledZip.Of(LabelledZip.Shapes(44_000, ("red", "red", 2), ("blue", "blue", 2)));

        using var response = await bob.Client.PostAsync($"/api/models/{alice.Model.Id}/tests", LabelledZip.Form("mine.zip", zip));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(bobBefore, await portal.StoredStateAsync(bob));
        Assert.Empty((await alice.Client.GetFromJsonAsync<JsonElement>($"/api/models/{alice.Model.Id}/tests")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_file_that_is_not_a_zip_is_refused_with_a_reason()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 45);
        var before = await portal.StoredStateAsync(owner);

        using var picture = await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/tests", LabelledZip.Form("red.png", ShapeImages.Png("red", 3), field: "upload"));
        using var nothing = await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/tests", LabelledZip.Form("empty.zip", []));

        Assert.Equal(HttpStatusCode.BadRequest, picture.StatusCode);
        Assert.Contains("'red.png' is not a zip archive", (await picture.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.Equal(before, await portal.StoredStateAsync(owner));
    }

    [Fact]
    public async Task Malformed_or_ambiguous_multipart_is_refused_and_leaves_no_dataset_behind()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 46);
        var before = await portal.StoredStateAsync(owner);
        var zip = LabelledZip.Of(LabelledZip.Shapes(46_000, ("red", "red", 2), ("blue", "blue", 2)));
        var url = $"/api/models/{owner.Model.Id}/tests";

        // The body stops in the middle of the zip: no closing boundary.
        var cut = new ByteArrayContent([.. "--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\n\r\n"u8, .. zip.AsSpan(0, zip.Length / 2)]);
        cut.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=cut");
        using var truncated = await owner.Client.PostAsync(url, cut);
        var noBoundary = new StringContent("whatever", Encoding.UTF8);
        noBoundary.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data");
        using var unbounded = await owner.Client.PostAsync(url, noBoundary);
        var two = LabelledZip.Form("a.zip", zip);
        two.Add(new ByteArrayContent(zip), "file", "b.zip");
        using var twoFiles = await owner.Client.PostAsync(url, two);
        var noFile = new MultipartFormDataContent { { new StringContent("hello"), "note" } };
        using var withoutFile = await owner.Client.PostAsync(url, noFile);

        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unbounded.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, twoFiles.StatusCode);
        Assert.Contains("exactly one zip", await twoFiles.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutFile.StatusCode);
        Assert.Equal(before, await portal.StoredStateAsync(owner));
        Assert.Empty((await owner.Client.GetFromJsonAsync<JsonElement>($"/api/models/{owner.Model.Id}/tests")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_json_form_still_answers_for_bad_json_and_other_media_types()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 47);
        var url = $"/api/models/{owner.Model.Id}/tests";

        using var badJson = await owner.Client.PostAsync(url, new StringContent("{\"datasetId\":", Encoding.UTF8, "application/json"));
        using var text = await owner.Client.PostAsync(url, new StringContent("datasetId=1", Encoding.UTF8, "text/plain"));
        using var good = await owner.Client.PostAsJsonAsync(url, new { datasetId = owner.DatasetId });

        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Equal("application/problem+json", badJson.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        Assert.Equal(owner.DatasetId, (await good.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("datasetId").GetString());
    }

    [Fact]
    public async Task The_api_document_shows_both_ways_to_start_a_test()
    {
        using var client = portal.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var post = document.GetProperty("paths").GetProperty("/api/models/{id}/tests").GetProperty("post");
        var content = post.GetProperty("requestBody").GetProperty("content");
        Assert.True(content.TryGetProperty("application/json", out _));
        Assert.Equal("binary", content.GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").GetProperty("file").GetProperty("format").GetString());
        Assert.Contains("zip", post.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/JobDto", post.GetProperty("responses").GetProperty("202").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString(), StringComparison.Ordinal);
    }
}
