using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using DiyMl.Domain.Jobs;

namespace DiyMl.Web.Tests.Jobs;

public sealed class JobEventsTests(JobsPortalFactory portal) : IClassFixture<JobsPortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_event_stream_starts_with_the_current_state_follows_in_order_and_ends_with_the_final_status()
    {
        var (client, userId) = await portal.CreateUserAsync();
        var job = await portal.CreateJobAsync(userId, steps: 3);
        await portal.Handler.Started(job.Id);

        using var response = await client.GetAsync($"/api/jobs/{job.Id}/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        var events = new List<JsonElement>();
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(Ct))
        {
            Assert.Equal("progress", item.EventType);
            var data = JsonDocument.Parse(item.Data).RootElement.Clone();
            events.Add(data);
            if (data.GetProperty("status").GetString() == "Running" && data.GetProperty("progress").GetProperty("stage").GetString() == "Featurizing")
            {
                portal.Handler.Step(job.Id); // each step is released only after its event arrived
            }
        }

        Assert.Equal("Running", events[0].GetProperty("status").GetString());
        Assert.Equal("Succeeded", events[^1].GetProperty("status").GetString());
        Assert.Equal(1, events.Count(e => e.GetProperty("status").GetString() == "Succeeded"));
        var done = events.Where(e => e.GetProperty("progress").GetProperty("stage").GetString() == "Featurizing")
            .Select(e => e.GetProperty("progress").GetProperty("done").GetInt32()).ToList();
        Assert.Equal([0, 1, 2], done.Distinct());
        Assert.Equal(done.Order(), done);
        Assert.Contains(events, e => e.GetProperty("progress").GetProperty("stage").GetString() == "Fitting");
    }

    [Fact]
    public async Task The_event_stream_of_a_finished_job_is_its_final_state_only()
    {
        var (client, userId) = await portal.CreateUserAsync();
        var job = await portal.CreateJobAsync(userId, fail: "Stopped early.");
        await portal.WaitForStatusAsync(job.Id, JobStatus.Failed);

        using var response = await client.GetAsync($"/api/jobs/{job.Id}/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(Ct))
        {
            events.Add(item);
        }

        var only = Assert.Single(events);
        Assert.Contains("Stopped early.", only.Data, StringComparison.Ordinal);
    }
}
