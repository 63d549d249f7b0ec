using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Web.Tests.Infrastructure;

namespace DiyMl.Web.Tests.Datasets;

/// <summary>An upload of which nothing could be used is a 4xx that still carries the per-file report.</summary>
public sealed class UploadReportTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task An_all_bad_upload_is_a_422_with_the_reason_for_every_file()
    {
        var client = await portal.CreateUserClientAsync();
        using var created = await client.PostAsJsonAsync("/api/datasets", new { name = "All bad" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        using var response = await client.PostAsync($"/api/datasets/{id}/images",
            ApiImages.Form(null, ("notes.jpg", "hello"u8.ToArray()), ("empty.gif", []), ("cut.png", ApiImages.Noise(60)[..500])));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 3), (problem.GetProperty("accepted").GetInt32(), problem.GetProperty("rejected").GetInt32()));
        var files = problem.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(["notes.jpg", "empty.gif", "cut.png"], files.Select(f => f.GetProperty("fileName").GetString()));
        Assert.All(files, f => Assert.Equal("rejected", f.GetProperty("status").GetString()));
        Assert.All(files, f => Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("reason").GetString())));
    }

    [Fact]
    public async Task A_mixed_upload_stays_200_with_its_report()
    {
        var client = await portal.CreateUserClientAsync();
        using var created = await client.PostAsJsonAsync("/api/datasets", new { name = "Mixed" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        using var response = await client.PostAsync($"/api/datasets/{id}/images", ApiImages.Form(null, ("good.png", ApiImages.Png(seed: 8)), ("notes.jpg", "hello"u8.ToArray())));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, 1), (report.GetProperty("accepted").GetInt32(), report.GetProperty("rejected").GetInt32()));
    }
}
