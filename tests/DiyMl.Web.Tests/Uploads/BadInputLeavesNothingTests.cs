using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Web.Tests.Datasets;

namespace DiyMl.Web.Tests.Uploads;

/// <summary>
/// Every file of the bad-input corpus, sent to every route that takes files, is refused or
/// answered with an error and leaves the data directory's blobs exactly as they were: no count,
/// no bytes. The proof that uploads check before they write.
/// </summary>
public sealed class BadInputLeavesNothingTests(UploadPortal portal) : IClassFixture<UploadPortal>
{
    public static TheoryData<string> Corpus => new(BadInputCorpus.Files.Keys);

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task A_bad_file_sent_to_every_file_route_leaves_the_blobs_unchanged(string name)
    {
        var content = BadInputCorpus.Files[name]();
        var before = portal.Blobs();
        foreach (var route in portal.FileRoutes)
        {
            using var response = await portal.Owner.Client.PostAsync(route, Form(route, (name, content)));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is >= 200 and < 500, $"{route} with {name}: {(int)response.StatusCode} {body}");
            Assert.True(before == portal.Blobs(), $"{route} with {name} ({(int)response.StatusCode}) changed the blobs from {before} to {portal.Blobs()}: {body}");
        }
    }

    [Fact]
    public async Task A_body_cut_off_after_a_good_picture_keeps_nothing_of_it()
    {
        var before = portal.BlobNames();
        var stored = await portal.StoredStateAsync(portal.Owner);
        foreach (var route in portal.FileRoutes)
        {
            // Two good pictures: the first is complete (and may already be stored) when the second is cut off.
            using var form = route.EndsWith("/tests", StringComparison.Ordinal)
                ? Form(route, ("good.zip", BadInputCorpus.Zip([("red/a.png", ApiImages.Png(seed: 501)), ("blue/b.png", ApiImages.Png(seed: 502))])))
                : Form(route, ("first.png", ApiImages.Png(seed: 500)), ("second.png", ApiImages.Png(seed: 503)));
            var complete = await form.ReadAsByteArrayAsync();
            var cut = new ByteArrayContent(complete[..(complete.Length - 8)]); // the closing boundary never arrives
            cut.Headers.ContentType = form.Headers.ContentType;

            using var response = await portal.Owner.Client.PostAsync(route, cut);

            Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(stored, await portal.StoredStateAsync(portal.Owner)); // no picture, dataset or test set is left
        }

        // A picture already stored when the body broke is not deleted inline (a concurrent upload
        // of the same bytes could be relying on it); nothing refers to it, so the sweep takes it.
        await portal.SweepPastGraceAsync();
        var left = portal.BlobNames().Except(before).ToList();
        Assert.True(left.Count == 0, $"blobs left behind after the sweep: {string.Join(", ", left)}");
    }

    [Fact]
    public async Task A_good_prediction_job_does_store_its_pictures()
    {
        var before = portal.Blobs();

        using var response = await portal.Owner.Client.PostAsync(portal.FileRoutes[3], Form(portal.FileRoutes[3], ("fresh.png", ApiImages.Png(seed: 777))));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        await portal.WaitForJobAsync(portal.Owner.UserId, job.GetProperty("id").GetString()!); // its result blob must not land in another test
        Assert.True(portal.Blobs().Count > before.Count, "the check must not be vacuous: a good upload is stored");
    }

    /// <summary>A multipart body as each route expects it: <c>files</c>, or <c>file</c> for the test route.</summary>
    private static MultipartFormDataContent Form(string route, params (string Name, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, route.EndsWith("/tests", StringComparison.Ordinal) ? "file" : "files", name);
        }

        return form;
    }
}
