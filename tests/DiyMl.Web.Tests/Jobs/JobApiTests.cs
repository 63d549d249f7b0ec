using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Domain.Jobs;
using DiyMl.Web.Tests.Accounts;

namespace DiyMl.Web.Tests.Jobs;

public sealed class JobApiTests(JobsPortalFactory portal) : IClassFixture<JobsPortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_job_is_shown_with_its_progress_and_ends_with_its_result()
    {
        var (client, userId) = await portal.CreateUserAsync();
        var job = await portal.CreateJobAsync(userId, steps: 2);
        await portal.Handler.Started(job.Id);

        var running = await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{job.Id}", Ct);
        portal.Handler.Step(job.Id, 2);
        await portal.WaitForStatusAsync(job.Id, JobStatus.Succeeded);
        var done = await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{job.Id}", Ct);

        Assert.Equal(job.Id, running.GetProperty("id").GetString());
        Assert.Equal("ModelTest", running.GetProperty("kind").GetString());
        Assert.Equal("Running", running.GetProperty("status").GetString());
        Assert.Equal("Featurizing", running.GetProperty("progress").GetProperty("stage").GetString());
        Assert.Equal(2, running.GetProperty("progress").GetProperty("total").GetInt32());
        Assert.Equal("dataset-of-test", running.GetProperty("datasetId").GetString());
        Assert.Equal("Succeeded", done.GetProperty("status").GetString());
        Assert.Equal(0.875, done.GetProperty("result").GetProperty("accuracy").GetDouble());
        Assert.True(done.GetProperty("progress").GetProperty("stageSeconds").TryGetProperty("Fitting", out _));
        Assert.Equal(JsonValueKind.String, done.GetProperty("finishedAt").ValueKind);
    }

    [Fact]
    public async Task The_list_holds_only_my_jobs_and_filters_by_kind_and_status()
    {
        var (client, userId) = await portal.CreateUserAsync();
        var (_, otherId) = await portal.CreateUserAsync();
        var failing = await portal.CreateJobAsync(userId, fail: "No images.");
        await portal.WaitForStatusAsync(failing.Id, JobStatus.Failed);
        await portal.CreateJobAsync(otherId, fail: "Not mine.");

        var all = await client.GetFromJsonAsync<JsonElement>("/api/jobs", Ct);
        var failed = await client.GetFromJsonAsync<JsonElement>("/api/jobs?kind=modeltest&status=Failed&page=1&pageSize=5", Ct);
        var trainings = await client.GetFromJsonAsync<JsonElement>("/api/jobs?kind=Training", Ct);

        Assert.Equal(1, all.GetProperty("total").GetInt64());
        Assert.Equal(failing.Id, failed.GetProperty("items")[0].GetProperty("id").GetString());
        Assert.Equal("No images.", failed.GetProperty("items")[0].GetProperty("error").GetString());
        Assert.Equal(0, trainings.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("/api/jobs?kind=Painting", "kind")]
    [InlineData("/api/jobs?status=7", "status")]
    [InlineData("/api/jobs?pageSize=1000", "pageSize")]
    [InlineData("/api/jobs?page=0", "page")]
    public async Task Bad_filters_are_a_400_naming_the_field(string url, string field)
    {
        var (client, _) = await portal.CreateUserAsync();

        using var response = await client.GetAsync(url, Ct);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotEmpty(ApiAssert.Errors(problem, field));
    }

    [Fact]
    public async Task Cancelling_a_running_job_answers_202_and_it_ends_cancelled()
    {
        var (client, userId) = await portal.CreateUserAsync();
        var job = await portal.CreateJobAsync(userId);
        await portal.Handler.Started(job.Id);

        using var response = await client.PostAsync($"/api/jobs/{job.Id}/cancel", null, Ct);
        var answered = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var cancelled = await portal.WaitForStatusAsync(job.Id, JobStatus.Cancelled);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(answered.GetProperty("cancelRequested").GetBoolean());
        Assert.Null(cancelled.ResultJson);
    }

    [Fact]
    public async Task Cancelling_a_finished_job_is_a_409()
    {
        var (client, userId) = await portal.CreateUserAsync();
        var job = await portal.CreateJobAsync(userId, fail: "Broken on purpose.");
        await portal.WaitForStatusAsync(job.Id, JobStatus.Failed);

        using var response = await client.PostAsync($"/api/jobs/{job.Id}/cancel", null, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Another_user_gets_404_for_my_job_its_cancel_and_its_events()
    {
        var (_, aliceId) = await portal.CreateUserAsync();
        var (bob, _) = await portal.CreateUserAsync();
        var job = await portal.CreateJobAsync(aliceId);

        using var get = await bob.GetAsync($"/api/jobs/{job.Id}", Ct);
        using var cancel = await bob.PostAsync($"/api/jobs/{job.Id}/cancel", null, Ct);
        using var events = await bob.GetAsync($"/api/jobs/{job.Id}/events", HttpCompletionOption.ResponseHeadersRead, Ct);

        await ApiAssert.ProblemAsync(get, HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(cancel, HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(events, HttpStatusCode.NotFound);
        Assert.False((await portal.Jobs.GetAsync(aliceId, job.Id, Ct)).CancelRequested);
        await portal.Jobs.CancelAsync(aliceId, job.Id, Ct);
    }
}
