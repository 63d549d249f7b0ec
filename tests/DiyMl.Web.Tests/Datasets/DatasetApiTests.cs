using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Web.Tests.Infrastructure;

namespace DiyMl.Web.Tests.Datasets;

public sealed class DatasetApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static async Task<string> CreateDatasetAsync(HttpClient client, string name = "Pets")
    {
        using var response = await client.PostAsJsonAsync("/api/datasets", new { name, description = "test" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> UploadAsync(HttpClient client, string id, string? label, params (string, byte[])[] files)
    {
        using var response = await client.PostAsync($"/api/datasets/{id}/images", ApiImages.Form(label, files));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Dataset_can_be_created_listed_renamed_and_deleted()
    {
        var client = await portal.CreateUserClientAsync();
        var id = await CreateDatasetAsync(client);

        using var patch = await client.PatchAsJsonAsync($"/api/datasets/{id}", new { name = "Animals" });
        var list = await GetJsonAsync(client, "/api/datasets");
        using var delete = await client.DeleteAsync($"/api/datasets/{id}");
        using var gone = await client.GetAsync($"/api/datasets/{id}");

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal("Animals", list.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Dataset_without_a_name_is_a_validation_problem()
    {
        var client = await portal.CreateUserClientAsync();

        using var response = await client.PostAsJsonAsync("/api/datasets", new { name = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("name", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mixed_upload_reports_every_file_and_keeps_the_good_ones()
    {
        var client = await portal.CreateUserClientAsync();
        var id = await CreateDatasetAsync(client);
        var zip = ApiImages.Zip(("cats/1.png", ApiImages.Png(seed: 1)), ("dogs/2.png", ApiImages.Png(seed: 2)), ("../escape.png", ApiImages.Png(seed: 3)));

        var report = await UploadAsync(client, id, null,
            ("good.png", ApiImages.Png(seed: 4)), ("notes.jpg", "hello"u8.ToArray()), ("empty.gif", []), ("pack.zip", zip), ("again.png", ApiImages.Png(seed: 4)));

        Assert.Equal(3, report.GetProperty("accepted").GetInt32());
        Assert.Equal(1, report.GetProperty("duplicates").GetInt32());
        Assert.Equal(3, report.GetProperty("rejected").GetInt32());
        var first = report.GetProperty("files")[0];
        Assert.Equal("accepted", first.GetProperty("status").GetString());
        Assert.Equal((40, 30, "Png"), (first.GetProperty("width").GetInt32(), first.GetProperty("height").GetInt32(), first.GetProperty("format").GetString()));
        var cats = await GetJsonAsync(client, $"/api/datasets/{id}/images?label=cats");
        Assert.Equal(1, cats.GetProperty("total").GetInt32());
        var unlabelled = await GetJsonAsync(client, $"/api/datasets/{id}/images?unlabelled=true");
        Assert.Equal("good.png", unlabelled.GetProperty("items")[0].GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task Upload_that_is_not_multipart_or_has_no_files_is_refused_with_a_problem()
    {
        var client = await portal.CreateUserClientAsync();
        var id = await CreateDatasetAsync(client);

        using var json = await client.PostAsJsonAsync($"/api/datasets/{id}/images", new { files = "x" });
        using var empty = await client.PostAsync($"/api/datasets/{id}/images", ApiImages.Form("cat"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Thumbnail_and_content_are_served_with_caching_headers()
    {
        var client = await portal.CreateUserClientAsync();
        var id = await CreateDatasetAsync(client);
        var png = ApiImages.Png(600, 300, seed: 5);
        var imageId = (await UploadAsync(client, id, "cat", ("big.png", png))).GetProperty("files")[0].GetProperty("imageId").GetString();

        using var thumbnail = await client.GetAsync($"/api/datasets/{id}/images/{imageId}/thumbnail");
        using var content = await client.GetAsync($"/api/datasets/{id}/images/{imageId}/content");
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/datasets/{id}/images/{imageId}/thumbnail");
        again.Headers.IfNoneMatch.Add(thumbnail.Headers.ETag!);
        using var notModified = await client.SendAsync(again);

        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", thumbnail.Headers.CacheControl?.ToString());
        Assert.NotNull(thumbnail.Headers.ETag);
        using var small = SkiaSharp.SKBitmap.Decode(await thumbnail.Content.ReadAsByteArrayAsync());
        Assert.Equal((256, 128), (small.Width, small.Height));
        Assert.Equal(png, await content.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", content.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Images_can_be_relabelled_moved_and_deleted()
    {
        var client = await portal.CreateUserClientAsync();
        var id = await CreateDatasetAsync(client);
        var report = await UploadAsync(client, id, "cat", ("a.png", ApiImages.Png(seed: 1)), ("b.png", ApiImages.Png(seed: 2)), ("c.png", ApiImages.Png(seed: 3)));
        var ids = report.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("imageId").GetString()!).ToList();

        using var patch = await client.PatchAsJsonAsync($"/api/datasets/{id}/images/{ids[0]}", new { label = "dog" });
        using var move = await client.PostAsJsonAsync($"/api/datasets/{id}/images/move", new { imageIds = new[] { ids[1] }, label = "dog" });
        using var moveNowhere = await client.PostAsJsonAsync($"/api/datasets/{id}/images/move", new { imageIds = new[] { ids[1] }, label = "unicorn" });
        using var delete = await client.PostAsJsonAsync($"/api/datasets/{id}/images/delete", new { imageIds = new[] { ids[2] } });
        using var unlabel = await client.PatchAsJsonAsync($"/api/datasets/{id}/images/{ids[0]}", new { label = (string?)null });

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, move.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, moveNowhere.StatusCode);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        var dataset = await GetJsonAsync(client, $"/api/datasets/{id}");
        Assert.Equal(2, dataset.GetProperty("imageCount").GetInt32());
        Assert.Equal(1, dataset.GetProperty("unlabelledCount").GetInt32());
        var dog = dataset.GetProperty("classes").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "dog");
        Assert.Equal(1, dog.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Classes_can_be_added_renamed_merged_and_deleted()
    {
        var client = await portal.CreateUserClientAsync();
        var id = await CreateDatasetAsync(client);
        await UploadAsync(client, id, "cat", ("a.png", ApiImages.Png(seed: 1)));
        await UploadAsync(client, id, "kitten", ("b.png", ApiImages.Png(seed: 2)));

        using var add = await client.PostAsJsonAsync($"/api/datasets/{id}/classes", new { name = "dog" });
        using var rename = await client.PatchAsJsonAsync($"/api/datasets/{id}/classes/cat", new { name = "Cat" });
        using var merge = await client.PostAsJsonAsync($"/api/datasets/{id}/classes/merge", new { sources = new[] { "kitten" }, target = "Cat" });
        using var delete = await client.DeleteAsync($"/api/datasets/{id}/classes/Cat?images=delete");
        using var unknown = await client.DeleteAsync($"/api/datasets/{id}/classes/nope");

        Assert.All(new[] { add, rename, merge, delete }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var dataset = await delete.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, dataset.GetProperty("imageCount").GetInt32());
        Assert.Equal(["dog"], dataset.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Analysis_answers_figures_and_warnings()
    {
        var client = await portal.CreateUserClientAsync();
        var id = await CreateDatasetAsync(client);
        await UploadAsync(client, id, "cat", ("a.png", ApiImages.Png(seed: 1)), ("b.png", ApiImages.Png(seed: 2)));

        var analysis = await GetJsonAsync(client, $"/api/datasets/{id}/analysis");

        Assert.Equal(2, analysis.GetProperty("imageCount").GetInt32());
        Assert.Equal("cat", analysis.GetProperty("classes")[0].GetProperty("name").GetString());
        Assert.Contains(analysis.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("at least two classes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_user_gets_404_for_everything_of_the_first()
    {
        var owner = await portal.CreateUserClientAsync();
        var stranger = await portal.CreateUserClientAsync();
        var id = await CreateDatasetAsync(owner);
        var imageId = (await UploadAsync(owner, id, "cat", ("a.png", ApiImages.Png(seed: 1)))).GetProperty("files")[0].GetProperty("imageId").GetString();
        var image = $"/api/datasets/{id}/images/{imageId}";

        var answers = new List<HttpResponseMessage>
        {
            await stranger.GetAsync($"/api/datasets/{id}"),
            await stranger.GetAsync($"/api/datasets/{id}/images"),
            await stranger.GetAsync(image),
            await stranger.GetAsync(image + "/content"),
            await stranger.GetAsync(image + "/thumbnail"),
            await stranger.GetAsync($"/api/datasets/{id}/analysis"),
            await stranger.PatchAsJsonAsync(image, new { label = "mine" }),
            await stranger.DeleteAsync(image),
            await stranger.DeleteAsync($"/api/datasets/{id}"),
            await stranger.PostAsync($"/api/datasets/{id}/images", ApiImages.Form(null, ("x.png", ApiImages.Png(seed: 9)))),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.StatusCode));
        Assert.Equal(0, (await GetJsonAsync(stranger, "/api/datasets")).GetProperty("total").GetInt32());
        Assert.Equal(1, (await GetJsonAsync(owner, $"/api/datasets/{id}")).GetProperty("imageCount").GetInt32());
        answers.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task Anonymous_callers_are_told_to_sign_in()
    {
        using var anonymous = portal.CreateClient();

        using var response = await anonymous.GetAsync("/api/datasets");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_a_bad_request_not_an_error()
    {
        var client = await portal.CreateUserClientAsync();
        var id = await CreateDatasetAsync(client);

        using var response = await client.PatchAsync($"/api/datasets/{id}", new StringContent("{\"name\":", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
