using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DiyMl.Infrastructure.Ml;

namespace DiyMl.IngestBench;

/// <summary>
/// Training as a user meets it: a fresh server, a dataset uploaded as a zip, then the clock runs
/// from the POST that "clicks Train" until the job reads Succeeded with its metrics; then the
/// same again, which finds every image's features in the cache.
/// </summary>
internal static class TrainingScenario
{
    /// <param name="warmUpZip">Other pictures, trained on once before the clock starts: a fresh server's first training also produces the INT8 network and loads the sessions, which is not what "new pictures" measures.</param>
    public static async Task<string> RunAsync(string webDll, byte[] zip, int images, byte[] warmUpZip)
    {
        await using var server = await BenchServer.StartAsync(webDll);
        var warmUp = Stopwatch.StartNew();
        await TrainOnceAsync(server, await UploadAsync(server, "warm-up", warmUpZip));
        Console.WriteLine($"  warm-up training (60 other pictures, INT8 network produced, sessions loaded): {warmUp.Elapsed.TotalSeconds:0.0} s");
        var datasetId = await UploadAsync(server, "fashion", zip);

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; `dotnet run -c Release --project bench/DiyMl.IngestBench -- --training`.");
        text.AppendLine(CultureInfo.InvariantCulture, $"A fresh server process (Release, LiteDB), {images} Fashion-MNIST PNGs uploaded as a zip (≈{images / 10} per class), default model");
        text.AppendLine("(ResNet18 + L-BFGS, L2 chosen by cross-validation, 20 % validation split). Time runs from `POST /api/training-jobs` to the job reading Succeeded (polled every 20 ms).");
        text.AppendLine("A training on 60 other pictures runs first, untimed (it produces the INT8 network and loads the sessions, as a portal's first training ever does).");
        text.AppendLine("Just before each run, this process times the bare FP32 network (ONNX Runtime, 2 threads, 40 passes on a prepared input) while the server idles: the machine's speed of the moment.");
        text.AppendLine();
        text.AppendLine("| Run | Wall, click to metrics | Bare FP32 network just before | Wall × bare rate (bare-network images) | Stages (server's own timings) | Validation accuracy | Server CPU-s | Server peak RSS |");
        text.AppendLine("|---|---:|---:|---:|---|---:|---:|---:|");
        using var bare = new ResNetFeaturizer(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(webDll))!, "DnnImageModels"));
        foreach (var run in new[] { "first training (features computed)", "second training (features from the cache)" })
        {
            var bareRate = BareImagesPerSecond(bare);
            var cpuBefore = server.CpuSeconds();
            var clock = Stopwatch.StartNew();
            var job = await TrainOnceAsync(server, datasetId);
            clock.Stop();

            var stages = job.GetProperty("progress").GetProperty("stageSeconds").EnumerateObject()
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name.ToLowerInvariant()} {s.Value.GetDouble():0.00} s"));
            var accuracy = Accuracy(job);
            var line = string.Create(CultureInfo.InvariantCulture,
                $"| {run} | {clock.Elapsed.TotalSeconds:0.0} s | {bareRate:0.0} img/s | {clock.Elapsed.TotalSeconds * bareRate:0} | {string.Join(", ", stages)} | {accuracy} | {server.CpuSeconds() - cpuBefore:0.0} | {server.StatusMb("VmHWM:"):N0} MB |");
            Console.WriteLine("  " + line);
            text.AppendLine(line);
        }

        return text.ToString();
    }

    private static async Task<string> UploadAsync(BenchServer server, string name, byte[] zip)
    {
        var datasetId = await server.CreateDatasetAsync(name);
        using var upload = await server.UploadAsync(datasetId, [(name + ".zip", zip)]);
        upload.EnsureSuccessStatusCode();
        return datasetId;
    }

    private static async Task<JsonElement> TrainOnceAsync(BenchServer server, string datasetId)
    {
        using var started = await server.Http.PostAsJsonAsync("/api/training-jobs", new { datasetId, modelType = "resnet18-lbfgs" });
        if (!started.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Training refused ({(int)started.StatusCode}): {await started.Content.ReadAsStringAsync()}");
        }

        var jobId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var job = await WaitFinishedAsync(server.Http, jobId!);
        var status = job.GetProperty("status").GetString();
        return status == "Succeeded" ? job : throw new InvalidOperationException($"Training ended {status}: {job.GetProperty("error")}");
    }

    private static double BareImagesPerSecond(ResNetFeaturizer network, int passes = 40)
    {
        var input = new float[3 * ResNetFeaturizer.Size * ResNetFeaturizer.Size];
        for (var i = 0; i < 3; i++)
        {
            network.RunNetwork(input);
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < passes; i++)
        {
            network.RunNetwork(input);
        }

        return passes / watch.Elapsed.TotalSeconds;
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
