using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Domain.Models;
using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

// REST prediction latency of one 224-px JPEG with a ResNet18 transfer model, over loopback to a
// real Kestrel portal: p50/p95/p99 for one client and throughput for four concurrent clients.
// Request counts are bounded. Usage: dotnet run -c Release --project bench/DiyMl.PredictBench [-- --quick] [--write docs/benchmarks.md]
internal static class PredictBench
{
    public static async Task<int> Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var loadBefore = LoadAverage(); // other work; the load at the end includes the bench's own clients
        var writeTo = args.SkipWhile(a => a != "--write").Skip(1).FirstOrDefault();
        var single = quick ? 60 : 400;
        var perClient = quick ? 30 : 150;
        const int Clients = 4;

        var dataDir = Directory.CreateTempSubdirectory("diyml-predict-bench").FullName;

        // Outside a test project the factory cannot guess the portal's folder; name it.
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "DiyMl.sln")))
        {
            repo = repo.Parent;
        }

        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_DIYML_WEB", Path.Combine(repo?.FullName ?? ".", "src", "DiyMl.Web"));
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Storage:DataDirectory", dataDir);
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        factory.StartServer();
        var baseUrl = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };

        const string Email = "bench@example.org", Password = "Correct-Horse-9";
        (await http.PostAsJsonAsync("/api/auth/register", new { email = Email, password = Password })).EnsureSuccessStatusCode();
        var login = await (await http.PostAsJsonAsync("/api/auth/login", new { email = Email, password = Password })).Content.ReadFromJsonAsync<JsonElement>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("accessToken").GetString());
        var userId = await UserIdAsync(factory.Services, Email);

        Console.WriteLine("training the ResNet18 transfer model…");
        var model = await TrainAsync(factory.Services, userId);
        (await http.PostAsJsonAsync($"/api/models/{model.Id}/publish", new { name = "bench" })).EnsureSuccessStatusCode();

        // "Before" (feature space v1, no calibration: the path every model trained before issue 13
        // keeps) is a stored v1 package from the legacy fixture, served by the same portal in the same rounds.
        var legacy = await StoreLegacyAsync(factory.Services, userId, Path.Combine(repo?.FullName ?? ".", "tests", "DiyMl.Infrastructure.Tests", "Ml", "Fixtures", "legacy-v1", "resnet18-lbfgs.model"));
        (await http.PostAsJsonAsync($"/api/models/{legacy.Id}/publish", new { name = "bench-v1" })).EnsureSuccessStatusCode();
        var key = (await (await http.PostAsJsonAsync("/api/api-keys", new { name = "bench" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;

        var jpeg = Shape("disc", new Random(99), 224, SKEncodedImageFormat.Jpeg);
        var url = $"/api/models/{model.Id}/predictions";
        var legacyUrl = $"/api/models/{legacy.Id}/predictions";

        // For comparison, on the same JPEG and in the same rounds as the REST requests below (so a
        // change in the machine's speed hits all three alike): the predictor alone, in process, and
        // the bare network on a prepared input - the floor no request can go under.
        var predictor = factory.Services.GetRequiredService<IModelPredictor>();
        var network = factory.Services.GetRequiredService<Lazy<ResNetFeaturizer>>().Value;
        var handle = ModelService.HandleOf(model);
        var legacyHandle = ModelService.HandleOf(legacy);
        var input = new float[3 * ResNetFeaturizer.Size * ResNetFeaturizer.Size];
        async Task<double> InProcessAsync(ModelHandle which)
        {
            var watch = Stopwatch.StartNew();
            await predictor.PredictAsync(which, [jpeg], CancellationToken.None);
            return watch.Elapsed.TotalMilliseconds;
        }

        // Where a v2 prediction's time goes: decode + letterbox, then the model's own network (INT8 by
        // default, Ml:Precision) with the pooling graph.
        double Decode()
        {
            var watch = Stopwatch.StartNew();
            ResNetFeaturizer.PreparePixels(jpeg, "bench.jpg");
            return watch.Elapsed.TotalMilliseconds;
        }

        var prepared = ResNetFeaturizer.PreparePixels(jpeg, "bench.jpg");
        double Network()
        {
            var watch = Stopwatch.StartNew();
            network.FeaturizePrepared(prepared, model.FeatureSpace ?? ResNetFeaturizer.VersionV2);
            return watch.Elapsed.TotalMilliseconds;
        }

        double Bare()
        {
            var watch = Stopwatch.StartNew();
            network.RunNetwork(input);
            return watch.Elapsed.TotalMilliseconds;
        }

        var clients = Enumerable.Range(0, Clients).Select(_ =>
        {
            var c = new HttpClient { BaseAddress = new Uri(baseUrl) };
            c.DefaultRequestHeaders.Add("X-Api-Key", key);
            return c;
        }).ToList();
        var errors = 0;

        async Task<double> OneAsync(HttpClient client, string? to = null)
        {
            using var content = new MultipartFormDataContent();
            var part = new ByteArrayContent(jpeg);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            content.Add(part, "files", "bench.jpg");
            var watch = Stopwatch.StartNew();
            using var response = await client.PostAsync(to ?? url, content);
            var body = await response.Content.ReadAsStringAsync();
            watch.Stop();
            if (!response.IsSuccessStatusCode || body.Contains("\"error\":\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref errors);
            }

            return watch.Elapsed.TotalMilliseconds;
        }

        string[] names = ["rest", "rest-v1", "inproc", "inproc-v1", "bare", "decode", "network"];
        var series = names.ToDictionary(n => n, _ => new List<double>(single));
        for (var i = 0; i < 20 + single; i++)
        {
            // The first 20 rounds warm every path up and are not counted.
            var round = new Dictionary<string, double>
            {
                ["rest"] = await OneAsync(clients[0]),
                ["rest-v1"] = await OneAsync(clients[0], legacyUrl),
                ["inproc"] = await InProcessAsync(handle),
                ["inproc-v1"] = await InProcessAsync(legacyHandle),
                ["bare"] = Bare(),
                ["decode"] = Decode(),
                ["network"] = Network(),
            };
            foreach (var (name, ms) in round.Where(_ => i >= 20))
            {
                series[name].Add(ms);
            }
        }

        foreach (var list in series.Values)
        {
            list.Sort();
        }

        var (latencies, inProcessLatencies, bareLatencies) = (series["rest"], series["inproc"], series["bare"]);
        var inProcessRate = 1000 / inProcessLatencies.Average();
        var concurrent = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async c =>
        {
            for (var i = 0; i < perClient; i++)
            {
                await OneAsync(c);
            }
        }));
        var throughput = Clients * perClient / concurrent.Elapsed.TotalSeconds;

        static double Pct(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        double P(double p) => Pct(latencies, p);
        var load = LoadAverage();
        var section = new StringBuilder();
        section.AppendLine(CultureInfo.InvariantCulture, $"### REST prediction latency (measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {loadBefore} before it started and {load} at the end, the bench's own clients and rounds included)");
        section.AppendLine();
        section.AppendLine("`dotnet run -c Release --project bench/DiyMl.PredictBench -- --write docs/benchmarks.md`: a real Kestrel portal on loopback (LiteDB),");
        section.AppendLine(CultureInfo.InvariantCulture, $"a ResNet18 + logistic-regression model (feature space {(model.FeatureSpace == ResNetFeaturizer.VersionV2Int8 ? "v2 on the INT8 network, the default" : "v2, FP32")}, calibrated) trained on generated shapes and published, one 224×224 JPEG");
        section.AppendLine("(" + (jpeg.Length / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB) sent as multipart with an API key; every answer checked for errors.");
        section.AppendLine();
        section.AppendLine("| measure | value |");
        section.AppendLine("| --- | --- |");
        section.AppendLine(CultureInfo.InvariantCulture, $"| 1 client, {single} requests: p50 / p95 / p99 | {P(0.50):0.0} / {P(0.95):0.0} / {P(0.99):0.0} ms |");
        string Pair(string name) => string.Create(CultureInfo.InvariantCulture, $"{Pct(series[name], 0.5):0.0} / {Pct(series[name], 0.95):0.0}");
        section.AppendLine(CultureInfo.InvariantCulture, $"| before (feature space v1, uncalibrated: a stored pre-v2 model), same rounds, 1 client: p50 / p95 | {Pair("rest-v1")} ms |");
        section.AppendLine(CultureInfo.InvariantCulture, $"| in-process predictor, v1 model, same rounds: p50 / p95 | {Pair("inproc-v1")} ms |");
        section.AppendLine(CultureInfo.InvariantCulture, $"| v2 parts, same rounds: decode + letterbox / the model's network with stage-3+4 pooling, p50 | {Pct(series["decode"], 0.5):0.0} / {Pct(series["network"], 0.5):0.0} ms |");
        section.AppendLine(CultureInfo.InvariantCulture, $"| 4 concurrent clients, {Clients * perClient} requests: throughput | {throughput:0.0} predictions/s |");
        section.AppendLine(CultureInfo.InvariantCulture, $"| in-process predictor, same JPEG, same rounds: p50 / p95 | {Pct(inProcessLatencies, 0.5):0.0} / {Pct(inProcessLatencies, 0.95):0.0} ms ({inProcessRate:0.0} predictions/s) |");
        section.AppendLine(CultureInfo.InvariantCulture, $"| bare FP32 ResNet18 network (ONNX Runtime, 2 threads), same rounds: p50 / p95 | {Pct(bareLatencies, 0.5):0.0} / {Pct(bareLatencies, 0.95):0.0} ms |");
        section.AppendLine(CultureInfo.InvariantCulture, $"| REST minus the bare FP32 network at p50 / p95 (negative: the model's INT8 network is faster than the bare FP32 one) | {P(0.5) - Pct(bareLatencies, 0.5):0.0} / {P(0.95) - Pct(bareLatencies, 0.95):0.0} ms |");
        section.AppendLine(CultureInfo.InvariantCulture, $"| REST throughput / in-process rate | {throughput / inProcessRate:P0} |");
        section.AppendLine(CultureInfo.InvariantCulture, $"| errors | {errors} of {(2 * (20 + single)) + (Clients * perClient)} |");
        if (double.TryParse(loadBefore, NumberStyles.Float, CultureInfo.InvariantCulture, out var busy) && busy > 1)
        {
            section.AppendLine();
            section.AppendLine(CultureInfo.InvariantCulture, $"**The machine was busy** (load average {loadBefore} on {Environment.ProcessorCount} cores from other work before the bench started): these figures are slower than the portal on an idle machine; compare them with the bare FP32 network of the same rounds, or rerun when idle.");
        }

        Console.WriteLine(section);

        if (writeTo is not null)
        {
            const string Start = "<!-- use:start -->", End = "<!-- use:end -->";
            var text = File.Exists(writeTo) ? await File.ReadAllTextAsync(writeTo) : "# Benchmarks\n";
            var block = $"{Start}\n## Using a model (issue 6)\n\n{section}{End}";
            var from = text.IndexOf(Start, StringComparison.Ordinal);
            var to = text.IndexOf(End, StringComparison.Ordinal);
            text = from >= 0 && to > from ? text[..from] + block + text[(to + End.Length)..] : text.TrimEnd() + "\n\n" + block + "\n";
            await File.WriteAllTextAsync(writeTo, text);
        }

        foreach (var c in clients)
        {
            c.Dispose();
        }

        return errors == 0 ? 0 : 1;

        static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

        static async Task<string> UserIdAsync(IServiceProvider services, string email)
        {
            using var scope = services.CreateScope();
            return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
        }

        static async Task<TrainedModel> TrainAsync(IServiceProvider services, string userId)
        {
            var blobs = services.GetRequiredService<IBlobStore>();
            var random = new Random(7);
            var images = new List<LabelledImage>();
            foreach (var shape in new[] { "disc", "square" })
            {
                for (var i = 0; i < 20; i++)
                {
                    var blob = await blobs.PutAsync(new MemoryStream(Shape(shape, random, 224, SKEncodedImageFormat.Jpeg)));
                    images.Add(new LabelledImage(Ids.New(), blob.Sha256, shape));
                }
            }

            var (type, parameters) = ModelCatalog.Resolve(ModelCatalog.ResNetLbfgs, null);
            var (train, validation) = DatasetSplit.Split(images, parameters[ModelCatalog.ValidationSplit], 42);
            var artifact = await services.GetRequiredService<IModelTrainer>().TrainAsync(
                new TrainingInput(type.Id, parameters, train, validation, 42), new Progress<TrainingProgressUpdate>(), CancellationToken.None);
            var stored = await blobs.PutAsync(new MemoryStream(artifact.Model));
            var model = new TrainedModel
            {
                OwnerId = userId,
                Name = "bench",
                ModelTypeId = type.Id,
                Classes = [.. artifact.Classes],
                ArtifactSha256 = stored.Sha256,
                ArtifactBytes = stored.Length,
                Validation = artifact.Validation,
                CreatedAt = DateTime.UtcNow,
                FeatureSpace = artifact.FeatureSpace,
            };
            await services.GetRequiredService<ITrainedModelStore>().InsertAsync(model);
            return model;
        }

        static async Task<TrainedModel> StoreLegacyAsync(IServiceProvider services, string userId, string path)
        {
            var stored = await services.GetRequiredService<IBlobStore>().PutAsync(new MemoryStream(await File.ReadAllBytesAsync(path)));
            var model = new TrainedModel
            {
                OwnerId = userId,
                Name = "bench-v1",
                ModelTypeId = ModelCatalog.ResNetLbfgs,
                Classes = ["circle", "cross", "square", "triangle"], // the fixture's classes, in their stored order
                ArtifactSha256 = stored.Sha256,
                ArtifactBytes = stored.Length,
                CreatedAt = DateTime.UtcNow,
            };
            await services.GetRequiredService<ITrainedModelStore>().InsertAsync(model);
            return model;
        }

        static byte[] Shape(string shape, Random random, int size, SKEncodedImageFormat format)
        {
            using var surface = SKSurface.Create(new SKImageInfo(size, size));
            surface.Canvas.Clear(new SKColor((byte)random.Next(200, 255), (byte)random.Next(200, 255), (byte)random.Next(200, 255)));
            using var paint = new SKPaint { IsAntialias = true, Color = new SKColor((byte)random.Next(0, 255), (byte)random.Next(0, 120), (byte)random.Next(0, 255)) };
            var r = random.Next(size / 5, size / 3);
            var x = size / 2 + random.Next(-size / 8, size / 8);
            var y = size / 2 + random.Next(-size / 8, size / 8);
            if (shape == "disc")
            {
                surface.Canvas.DrawCircle(x, y, r, paint);
            }
            else
            {
                surface.Canvas.DrawRect(x - r, y - r, 2 * r, 2 * r, paint);
            }

            using var image = surface.Snapshot();
            using var data = image.Encode(format, 90);
            return data.ToArray();
        }
    }
}
