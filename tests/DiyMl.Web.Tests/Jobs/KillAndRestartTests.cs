using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Domain.Training;
using DiyMl.Web.Tests.Infrastructure;
using DiyMl.Web.Tests.ModelUse;
using DiyMl.Web.Tests.Startup;

namespace DiyMl.Web.Tests.Jobs;

/// <summary>
/// The portal as a real process with a fixed <c>Jobs:InstanceId</c>, killed with SIGKILL while a
/// training runs and started again with the same id: the lease, not the id, decides that the job
/// is an orphan, so it is claimed again and finishes (it used to stay Running forever).
/// </summary>
public sealed class KillAndRestartTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "diyml-kill-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_training_killed_with_sigkill_is_claimed_again_after_a_restart_with_the_same_instance_id_and_finishes()
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = _dataDirectory,
            ["Jobs__InstanceId"] = "the-only-portal",
            ["Jobs__LeaseSeconds"] = "6",
            ["Jobs__LeaseRenewSeconds"] = "1",
            ["Jobs__SweepSeconds"] = "0.5",
        };
        string jobId;
        string email = PortalFactory.NewEmail("kill");
        var first = PortalProcess.Start(settings);
        try
        {
            using var http = await SignInAsync(await first.WaitUntilListeningAsync(), email, register: true);
            jobId = await StartTrainingAsync(http);
            await WaitForStatusAsync(http, jobId, "Running");
        }
        finally
        {
            await first.DisposeAsync(); // Process.Kill: SIGKILL on Linux, no graceful stop
        }

        await using var second = PortalProcess.Start(settings);
        using var again = await SignInAsync(await second.WaitUntilListeningAsync(), email, register: false);
        var done = await WaitForStatusAsync(again, jobId, "Succeeded");

        Assert.Equal(2, done.GetProperty("attempts").GetInt32());
        Assert.Contains("restarted", done.GetProperty("notice").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(done.GetProperty("modelId").GetString()));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private static async Task<HttpClient> SignInAsync(Uri address, string email, bool register)
    {
        var http = new HttpClient { BaseAddress = address };
        if (register)
        {
            using var registered = await http.PostAsJsonAsync("/api/auth/register", new { email, password = PortalFactory.Password }, Ct);
            registered.EnsureSuccessStatusCode();
        }

        var token = await PortalFactory.LoginAsync(http, email);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return http;
    }

    // ResNet loads on first use (warm-up is off), so the job stays Running for seconds: time to kill it.
    private static async Task<string> StartTrainingAsync(HttpClient http)
    {
        using var created = await http.PostAsJsonAsync("/api/datasets", new { name = "Shapes" }, Ct);
        var datasetId = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        foreach (var shape in new[] { "red", "blue" })
        {
            // The label comes before the files: the upload is read as a stream, in order.
            using var files = new MultipartFormDataContent { { new StringContent(shape), "label" } };
            foreach (var i in Enumerable.Range(0, 12))
            {
                var part = new ByteArrayContent(ShapeImages.Png(shape, i, 64));
                part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                files.Add(part, "files", $"{shape}-{i}.png");
            }

            using var uploaded = await http.PostAsync($"/api/datasets/{datasetId}/images", files, Ct);
            uploaded.EnsureSuccessStatusCode();
        }

        using var started = await http.PostAsJsonAsync("/api/training-jobs", new { datasetId, modelType = ModelCatalog.ResNetLbfgs }, Ct);
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync(Ct));
        return (await started.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    // A separate process has no notifier to listen to: poll the API, as a script would.
    private static async Task<JsonElement> WaitForStatusAsync(HttpClient http, string jobId, string status)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var job = await http.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}", Ct);
            var now = job.GetProperty("status").GetString();
            if (now == status)
            {
                return job;
            }

            Assert.True(now is "Queued" or "Running", $"The job ended {now}: {job.GetProperty("error")}");
            Assert.True(DateTime.UtcNow < deadline, $"The job is still {now}.");
            await Task.Delay(50, Ct);
        }
    }
}
