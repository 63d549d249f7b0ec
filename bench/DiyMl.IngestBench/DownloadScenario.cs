using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DiyMl.IngestBench;

/// <summary>
/// Model downloads (<c>GET /api/models/{id}/download</c>: the self-contained ML.NET zip, and
/// <c>?format=onnx</c>) through the real server: 1 and 4 at once, each row on a fresh server with a
/// freshly trained transfer model. "Cold" is the first zip download of the feature space (its
/// featurizer part is built then); "warm" rows download once before the measurement, as every
/// later download of any model of that space finds the part cached. The server's peak RSS is reset
/// (<c>/proc/pid/clear_refs</c>) just before the measured downloads.
/// </summary>
internal static class DownloadScenario
{
    private static readonly (string Format, int Concurrent, bool Warm)[] Rows =
    [
        ("mlnet", 1, false), ("mlnet", 1, true), ("mlnet", 4, false), ("mlnet", 4, true), ("onnx", 1, false), ("onnx", 4, false),
    ];

    public static async Task<string> RunAsync(string webDll)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the start; `dotnet run -c Release --project bench/DiyMl.IngestBench -- --downloads`.");
        text.AppendLine("A fresh server process (Release, LiteDB) per row, a ResNet18 + L-BFGS model (feature space v2) trained on 20 photos, then N concurrent downloads;");
        text.AppendLine("peak RSS is the server's VmHWM, reset just before the downloads. Cold: the first zip of the feature space (its featurizer part is built");
        text.AppendLine("and stored under `<data>/exports`); warm: one download before the measurement. Aim: under +150 MB for 4 concurrent downloads.");
        text.AppendLine();
        text.AppendLine("| Format | Concurrent | Featurizer part | File size | Answers | Wall | Server RSS before | Server peak RSS during | Peak increase | Server RSS after |");
        text.AppendLine("|---|---:|---|---:|---|---:|---:|---:|---:|---:|");
        foreach (var (format, concurrent, warm) in Rows)
        {
            await using var server = await BenchServer.StartAsync(webDll);
            var modelId = await TrainAsync(server);
            var url = $"/api/models/{modelId}/download" + (format == "onnx" ? "?format=onnx" : "");
            if (warm)
            {
                await DownloadAsync(server, url);
            }

            await Task.Delay(TimeSpan.FromSeconds(2)); // let the training's buffers be collected before the baseline
            var before = server.StatusMb("VmRSS:");
            File.WriteAllText($"/proc/{server.Pid}/clear_refs", "5"); // resets VmHWM to the current RSS
            var clock = Stopwatch.StartNew();
            var answers = await Task.WhenAll(Enumerable.Range(0, concurrent).Select(_ => DownloadAsync(server, url)));
            clock.Stop();
            var peak = server.StatusMb("VmHWM:");
            var after = server.StatusMb("VmRSS:");
            var statuses = string.Join(", ", answers.GroupBy(a => a.Status).Select(g => $"{g.Count()}× {g.Key}"));
            var size = answers.Max(a => a.Length) / 1048576.0;
            var part = format == "onnx" ? "-" : warm ? "warm" : "cold";
            var line = string.Create(CultureInfo.InvariantCulture,
                $"| {format} | {concurrent} | {part} | {size:0.0} MB | {statuses} | {clock.Elapsed.TotalSeconds:0.0} s | {before:N0} MB | {peak:N0} MB | +{peak - before:N0} MB | {after:N0} MB |");
            Console.WriteLine("  " + line);
            text.AppendLine(line);
        }

        return text.ToString();
    }

    private static async Task<(int Status, long Length)> DownloadAsync(BenchServer server, string url)
    {
        using var response = await server.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var length = 0L;
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            length += read;
        }

        return ((int)response.StatusCode, length);
    }

    private static async Task<string> TrainAsync(BenchServer server)
    {
        var datasetId = await server.CreateDatasetAsync("photos");
        foreach (var label in new[] { "a", "b" })
        {
            using var content = new MultipartFormDataContent { { new StringContent(label), "label" } };
            for (var i = 0; i < 10; i++)
            {
                content.Add(new ByteArrayContent(Photos.Jpeg(i + (label == "a" ? 0 : 500), 320, 240)), "files", $"{label}-{i}.jpg");
            }

            using var upload = await server.Http.PostAsync($"/api/datasets/{datasetId}/images", content);
            upload.EnsureSuccessStatusCode();
        }

        using var started = await server.Http.PostAsJsonAsync("/api/training-jobs", new { datasetId, modelType = "resnet18-lbfgs" });
        started.EnsureSuccessStatusCode();
        var jobId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        while (true)
        {
            var job = await server.Http.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}");
            switch (job.GetProperty("status").GetString())
            {
                case "Succeeded":
                    return job.GetProperty("modelId").GetString()!;
                case "Failed" or "Cancelled":
                    throw new InvalidOperationException($"Training ended {job.GetProperty("status")}: {job}");
            }

            await Task.Delay(200);
        }
    }
}
