using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DiyMl.IngestBench;

/// <summary>
/// Training as a user meets it: a fresh server, a dataset uploaded as a zip, then the clock runs
/// from the POST that "clicks Train" until the job reads Succeeded with its metrics; then the
/// same again, which finds every image's features in the cache.
/// </summary>
internal static class TrainingScenario
{
    public static async Task<string> RunAsync(string webDll, byte[] zip, int images)
    {
        await using var server = await BenchServer.StartAsync(webDll);
        var datasetId = await server.CreateDatasetAsync("fashion");
        using (var upload = await server.UploadAsync(datasetId, [("fashion.zip", zip)]))
        {
            upload.EnsureSuccessStatusCode();
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; `dotnet run -c Release --project bench/DiyMl.IngestBench -- --training`.");
        text.AppendLine(CultureInfo.InvariantCulture, $"A fresh server process (Release, LiteDB), {images} Fashion-MNIST PNGs uploaded as a zip (≈{images / 10} per class), default model");
        text.AppendLine("(ResNet18 + L-BFGS, L2 chosen by cross-validation, 20 % validation split). Time runs from `POST /api/training-jobs` to the job reading Succeeded (polled every 20 ms).");
        text.AppendLine();
        text.AppendLine("| Run | Wall, click to metrics | Stages (server's own timings) | Validation accuracy | Server CPU-s | Server peak RSS |");
        text.AppendLine("|---|---:|---|---:|---:|---:|");
        foreach (var run in new[] { "first training (features computed)", "second training (features from the cache)" })
        {
            var cpuBefore = server.CpuSeconds();
            var clock = Stopwatch.StartNew();
            using var started = await server.Http.PostAsJsonAsync("/api/training-jobs", new { datasetId, modelType = "resnet18-lbfgs" });
            started.EnsureSuccessStatusCode();
            var jobId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            var job = await WaitFinishedAsync(server.Http, jobId!);
            clock.Stop();
            var status = job.GetProperty("status").GetString();
            if (status != "Succeeded")
            {
                throw new InvalidOperationException($"Training ended {status}: {job.GetProperty("error")}");
            }

            var stages = job.GetProperty("progress").GetProperty("stageSeconds").EnumerateObject()
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name.ToLowerInvariant()} {s.Value.GetDouble():0.00} s"));
            var accuracy = Accuracy(job);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"| {run} | {clock.Elapsed.TotalSeconds:0.0} s | {string.Join(", ", stages)} | {accuracy} | {server.CpuSeconds() - cpuBefore:0.0} | {server.StatusMb("VmHWM:"):N0} MB |");
            Console.WriteLine("  " + line);
            text.AppendLine(line);
        }

        return text.ToString();
    }

    private static async Task<JsonElement> WaitFinishedAsync(HttpClient http, string jobId)
    {
        while (true)
        {
            var job = await http.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}");
            if (job.GetProperty("status").GetString() is "Succeeded" or "Failed" or "Cancelled")
            {
                return job;
            }

            await Task.Delay(20);
        }
    }

    private static string Accuracy(JsonElement job) =>
        job.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
        && result.EnumerateObject().FirstOrDefault(p => p.Name.Equals("accuracy", StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.Number } accuracy
            ? accuracy.Value.GetDouble().ToString("0.000", CultureInfo.InvariantCulture)
            : "n/a";
}
