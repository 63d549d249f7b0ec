using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Web.Tests.Datasets;
using DiyMl.Web.Tests.ModelUse;

namespace DiyMl.Web.Tests.Uploads;

/// <summary>A portal that allows 2 prediction jobs a minute per key and 3 per model.</summary>
public sealed class RateLimitedPortal : UsePortal
{
    public RateLimitedPortal()
    {
        Settings["PredictionJobs:PerCallerPerMinute"] = "2";
        Settings["PredictionJobs:PerModelPerMinute"] = "3";
    }
}

public sealed class PredictionJobLimitsTests(RateLimitedPortal portal) : IClassFixture<RateLimitedPortal>
{
    [Fact]
    public async Task Prediction_jobs_are_limited_per_key_and_per_model_with_429_and_retry_after()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 81, perClass: 6);
        using (var publish = await owner.Client.PostAsJsonAsync($"/api/models/{owner.Model.Id}/publish", new { name = "Limited " + Guid.NewGuid().ToString("N")[..6], description = "" }))
        {
            publish.EnsureSuccessStatusCode();
        }

        var first = await portal.CreateKeyClientAsync(owner.Client);
        var second = await portal.CreateKeyClientAsync(owner.Client);
        var route = $"/api/models/{owner.Model.Id}/prediction-jobs";
        var jobs = new List<string>();

        async Task<HttpResponseMessage> StartAsync(HttpClient client, int seed)
        {
            var response = await client.PostAsync(route, ApiImages.Form(null, ("p.png", ApiImages.Png(seed: seed))));
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                jobs.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            }

            return response;
        }

        using var a1 = await StartAsync(first, 1);
        using var a2 = await StartAsync(first, 2);
        using var a3 = await StartAsync(first, 3);   // the key's third in a minute
        using var b1 = await StartAsync(second, 4);  // another key: fine, the model's third
        using var b2 = await StartAsync(second, 5);  // the model's fourth

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests],
            new[] { a1, a2, a3, b1, b2 }.Select(r => r.StatusCode));
        foreach (var refused in new[] { a3, b2 })
        {
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.InRange(refused.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        }

        foreach (var job in jobs)
        {
            await portal.WaitForJobAsync(owner.UserId, job);
        }
    }

    [Fact]
    public async Task A_prediction_job_of_only_bad_files_is_a_422_with_the_reason_for_each()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 82, perClass: 6);

        using var response = await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/prediction-jobs",
            ApiImages.Form(null, ("notes.png", "hello"u8.ToArray()), ("empty.png", [])));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var files = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(["notes.png", "empty.png"], files.Select(f => f.GetProperty("fileName").GetString()));
        Assert.All(files, f => Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("error").GetString())));
    }
}
