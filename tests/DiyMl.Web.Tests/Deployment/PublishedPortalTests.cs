using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using DiyMl.Web.Tests.ModelUse;
using DiyMl.Web.Tests.Startup;

namespace DiyMl.Web.Tests.Deployment;

/// <summary>
/// The deployment as the Dockerfile builds it: <c>dotnet publish -c Release -r linux-x64</c> into a
/// temporary folder, the published output started as its own process, and a LightGBM model trained
/// through the REST API. LightGBM is the model type whose native library needs something the base
/// image lacks (libgomp.so.1), so a missing native dependency fails here, not at a user's first
/// training. Slow by nature (a full publish): one test.
/// </summary>
public sealed class PublishedPortalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_published_portal_starts_and_trains_a_LightGBM_model_through_the_api()
    {
        var work = Path.Combine(Path.GetTempPath(), "diyml-publish-" + Guid.NewGuid().ToString("N"));
        var output = Path.Combine(work, "app");
        try
        {
            // Its own artifacts folder: the RID-specific restore must not touch the obj/ of the test build.
            await RunAsync("dotnet", ["publish", Path.Combine(PortalProcess.RepositoryRoot, "src", "DiyMl.Web", "DiyMl.Web.csproj"),
                "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", output, "--artifacts-path", Path.Combine(work, "artifacts"), "-nologo"]);
            Assert.True(File.Exists(Path.Combine(output, "lib_lightgbm.so")) || File.Exists(Path.Combine(output, "runtimes", "linux-x64", "native", "lib_lightgbm.so")),
                "the published output carries LightGBM's native library");

            await using var portal = PortalProcess.StartFrom(output, new Dictionary<string, string>
            {
                ["Storage__DataDirectory"] = Path.Combine(work, "data"),
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            });
            using var client = new HttpClient { BaseAddress = await portal.WaitUntilListeningAsync(), Timeout = TimeSpan.FromMinutes(5) };
            await SignInAsync(client);

            using var created = await client.PostAsJsonAsync("/api/datasets", new { name = "Shapes" }, Ct);
            var datasetId = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
            foreach (var shape in new[] { "red", "blue" })
            {
                using var form = new MultipartFormDataContent { { new StringContent(shape), "label" } };
                for (var i = 0; i < 12; i++)
                {
                    form.Add(new ByteArrayContent(ShapeImages.Png(shape, i + (shape == "red" ? 0 : 100))), "files", $"{shape}-{i}.png");
                }

                using var upload = await client.PostAsync($"/api/datasets/{datasetId}/images", form, Ct);
                Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
            }

            using var start = await client.PostAsJsonAsync("/api/training-jobs", new
            {
                datasetId,
                modelType = "resnet18-lightgbm",
                parameters = new Dictionary<string, double> { ["trees"] = 20, ["leaves"] = 4 },
            }, Ct);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var jobId = (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();

            var last = await LastEventAsync(client, $"/api/jobs/{jobId}/events");
            Assert.True(last.GetProperty("status").GetString() == "Succeeded", $"training ended {last}; portal errors: {string.Join(" | ", portal.ErrorLines)}");
            var job = await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}", Ct);
            var model = await client.GetFromJsonAsync<JsonElement>($"/api/models/{job.GetProperty("modelId").GetString()}", Ct);
            Assert.Equal("resnet18-lightgbm", model.GetProperty("modelType").GetString());
            Assert.True(model.GetProperty("validation").GetProperty("accuracy").GetDouble() > 0.5);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // best effort: a temp folder left behind is harmless
            }
        }
    }

    private static async Task SignInAsync(HttpClient client)
    {
        var email = $"publish-{Guid.NewGuid():N}@example.org";
        using (var register = await client.PostAsJsonAsync("/api/auth/register", new { email, password = "Correct-Horse-9" }, Ct))
        {
            register.EnsureSuccessStatusCode();
        }

        using var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "Correct-Horse-9" }, Ct);
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    // The job's event stream ends with its final state: a signal to wait on, no polling.
    private static async Task<JsonElement> LastEventAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, Ct);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        var last = default(JsonElement);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(Ct))
        {
            last = JsonDocument.Parse(item.Data).RootElement.Clone();
        }

        return last;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stdout} {await stderr}");
    }
}
