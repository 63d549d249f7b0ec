using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using SkiaSharp;

namespace DiyMl.IngestBench;

/// <summary>
/// The live camera preview for one viewer: a fresh server, a default (ResNet18) model trained on
/// generated shapes, then Debian's Chromium with its fake camera on the model's Try-it page.
/// Counts the answers the page shows over a fixed window and the server's CPU over the same
/// window; REST latency of single predictions is measured right after, as the network's yardstick.
/// </summary>
internal static class LiveScenario
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(15);

    public static async Task<string> RunAsync(string webDll)
    {
        await using var server = await BenchServer.StartAsync(webDll);
        var datasetId = await server.CreateDatasetAsync("shapes");
        foreach (var shape in new[] { "disc", "square" })
        {
            using (var created = await server.Http.PostAsJsonAsync($"/api/datasets/{datasetId}/classes", new { name = shape }))
            {
                created.EnsureSuccessStatusCode();
            }

            using var upload = await server.UploadAsync(datasetId, [.. Enumerable.Range(0, 15).Select(i => ($"{shape}/{i}.png", Shape(shape, i)))]);
            upload.EnsureSuccessStatusCode();
            var ids = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("files").EnumerateArray().Select(f => f.GetProperty("imageId").GetString()).ToList();
            using var relabel = await server.Http.PostAsJsonAsync($"/api/datasets/{datasetId}/images/relabel", new { imageIds = ids, label = shape });
            relabel.EnsureSuccessStatusCode();
        }

        var modelId = await TrainAsync(server, datasetId);
        Console.WriteLine($"  trained {modelId}; opening the live preview");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.BaseUrl });
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync("/account/login");
        await page.WaitForSelectorAsync("[data-interactive='true']");
        await page.GetByLabel("E-mail").FillAsync(server.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(BenchServer.Password);
        await page.Locator("form button[type=submit]").ClickAsync();
        await page.GetByTestId("greeting").WaitForAsync();
        await page.GotoAsync($"/models/{modelId}/predict");
        await page.WaitForSelectorAsync("[data-interactive='true']");
        await page.GetByTestId("live-panel").ClickAsync();
        await page.GetByTestId("camera-start").ClickAsync();
        await page.GetByTestId("live-rate").WaitForAsync();
        await Task.Delay(TimeSpan.FromSeconds(3)); // past the first answers (model load, JIT)

        var countBefore = await AnswersAsync(page);
        var cpuBefore = server.CpuSeconds();
        var clock = Stopwatch.StartNew();
        await Task.Delay(Window);
        var answers = await AnswersAsync(page) - countBefore;
        var cpu = server.CpuSeconds() - cpuBefore;
        var seconds = clock.Elapsed.TotalSeconds;
        await page.GetByTestId("camera-stop").ClickAsync();

        var rest = await RestLatencyAsync(server, modelId);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; `dotnet run -c Release --project bench/DiyMl.IngestBench -- --live`.");
        text.AppendLine("One viewer: Chromium's fake camera on the Try-it page of a default model (ResNet18 + logistic regression), frames of 320 px");
        text.AppendLine(CultureInfo.InvariantCulture, $"JPEG sent over the Blazor circuit one at a time, capped at 10 answers a second. Window {Window.TotalSeconds:0} s after a 3 s warm-up.");
        text.AppendLine();
        text.AppendLine("| Answers a second | Server CPU-ms per answer | Server CPU share (of 2 cores) | REST single prediction p50 / p95 (same model, same run) |");
        text.AppendLine("|---:|---:|---:|---:|");
        var line = string.Create(CultureInfo.InvariantCulture,
            $"| {answers / seconds:0.0} | {1000 * cpu / Math.Max(1, answers):0.0} | {100 * cpu / seconds / Environment.ProcessorCount:0} % | {rest.P50:0.0} / {rest.P95:0.0} ms |");
        text.AppendLine(line);
        text.AppendLine();
        text.AppendLine("Aim: at least 5 answers a second for one viewer on this machine.");
        Console.WriteLine(text);
        return text.ToString();
    }

    private static async Task<int> AnswersAsync(IPage page)
    {
        var text = await page.GetByTestId("live-rate").InnerTextAsync();
        return int.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static async Task<string> TrainAsync(BenchServer server, string datasetId)
    {
        using var started = await server.Http.PostAsJsonAsync("/api/training-jobs", new { datasetId, modelType = "resnet18-lbfgs" });
        started.EnsureSuccessStatusCode();
        var jobId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        while (true)
        {
            var job = await server.Http.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}");
            switch (job.GetProperty("status").GetString())
            {
                case "Succeeded": return job.GetProperty("modelId").GetString()!;
                case "Failed" or "Cancelled": throw new InvalidOperationException($"Training ended: {job}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<(double P50, double P95)> RestLatencyAsync(BenchServer server, string modelId)
    {
        var picture = Shape("disc", 999);
        var times = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            using var content = new MultipartFormDataContent { { new ByteArrayContent(picture), "files", "disc.png" } };
            var clock = Stopwatch.StartNew();
            using var response = await server.Http.PostAsync($"/api/models/{modelId}/predictions", content);
            response.EnsureSuccessStatusCode();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return (times[times.Count / 2], times[(int)(times.Count * 0.95)]);
    }

    private static byte[] Shape(string shape, int seed)
    {
        var random = new Random(seed);
        using var surface = SKSurface.Create(new SKImageInfo(224, 224));
        surface.Canvas.Clear(new SKColor((byte)random.Next(200, 255), (byte)random.Next(200, 255), (byte)random.Next(200, 255)));
        using var paint = new SKPaint { IsAntialias = true, Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)) };
        var r = random.Next(40, 80);
        var (x, y) = (112 + random.Next(-20, 21), 112 + random.Next(-20, 21));
        if (shape == "disc")
        {
            surface.Canvas.DrawCircle(x, y, r, paint);
        }
        else
        {
            surface.Canvas.DrawRect(x - r, y - r, 2 * r, 2 * r, paint);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
