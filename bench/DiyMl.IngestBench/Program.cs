using System.Diagnostics;
using System.Globalization;
using System.Text;
using DiyMl.IngestBench;

// Usage: dotnet run -c Release --project bench/DiyMl.IngestBench [-- --web path/to/DiyMl.Web.dll] [--no-write] [--training | --downloads | --live]
// Starts the real server (Release build) as its own process per scenario, uploads through
// POST /api/datasets/{id}/images and reads the server's peak resident memory (VmHWM).
var root = FindRepoRoot();
var webDll = ArgValue("--web") ?? Path.Combine(root, "src/DiyMl.Web/bin/Release/net10.0/DiyMl.Web.dll");
if (!File.Exists(webDll))
{
    Console.Error.WriteLine($"Build the server first: dotnet build -c Release src/DiyMl.Web  (looked for {webDll})");
    return 1;
}

const string mnist = "/usr/share/datasets/fashion-mnist";
if (args.Contains("--live"))
{
    // The live camera preview as one viewer sees it: Chromium's fake camera against a real server.
    var section = await LiveScenario.RunAsync(webDll);
    if (!args.Contains("--no-write"))
    {
        BenchmarksDoc.WriteSection(Path.Combine(root, "docs/benchmarks.md"), "live-preview", "## Live camera preview\n\n" + section);
    }

    return 0;
}

if (args.Contains("--training"))
{
    // Training end to end through the real server: the "click Train to metrics" figure of issue 5.
    var section = await TrainingScenario.RunAsync(webDll, FashionMnist.BuildZip(mnist, 500), 500, FashionMnist.BuildZip(mnist, 60, skip: 9000));
    if (!args.Contains("--no-write"))
    {
        BenchmarksDoc.WriteSection(Path.Combine(root, "docs/benchmarks.md"), "training-e2e", "## Training end to end (click Train to metrics)\n\n" + section);
    }

    return 0;
}

if (args.Contains("--downloads"))
{
    // Peak server memory of 1 and 4 concurrent model downloads, zip (cold and warm featurizer part) and ONNX (issue 12).
    var section = await DownloadScenario.RunAsync(webDll);
    if (!args.Contains("--no-write"))
    {
        BenchmarksDoc.WriteSection(Path.Combine(root, "docs/benchmarks.md"), "downloads", "## Model downloads: server memory\n\n" + section);
    }

    return 0;
}

Console.WriteLine("Preparing inputs…");
var fashionZip = FashionMnist.BuildZip(mnist, 1000);
var fashionZipLarge = FashionMnist.BuildZip(mnist, 5000);
var photos = Enumerable.Range(0, 200).Select(i => ($"photo-{i:D3}.jpg", Photos.Jpeg(i))).ToList();
Console.WriteLine($"  Fashion-MNIST zip: 1,000 PNGs, {fashionZip.Length / 1024.0:N0} KB; 5,000 PNGs, {fashionZipLarge.Length / 1024.0:N0} KB");
Console.WriteLine($"  JPEGs: 200 × 1024×768, {photos.Sum(p => p.Item2.Length) / 1048576.0:N1} MB");

var results = new List<Result>
{
    await Scenario.RunAsync(webDll, "Fashion-MNIST zip, 1,000 PNGs 28×28", [("fashion.zip", fashionZip)]),
    await Scenario.RunAsync(webDll, "Fashion-MNIST zip, 5,000 PNGs 28×28", [("fashion5000.zip", fashionZipLarge)]),
    await Scenario.RunAsync(webDll, "200 JPEGs 1024×768 (one multipart request)", photos),
};

var table = new StringBuilder();
table.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, load average {LoadAverage()} at the end; `dotnet run -c Release --project bench/DiyMl.IngestBench`.");
table.AppendLine("Each scenario starts a fresh server process (Release, LiteDB, file blobs), registers a user, creates a dataset and");
table.AppendLine("uploads through `POST /api/datasets/{id}/images`; time is the whole request, memory is the server's peak RSS (VmHWM).");
table.AppendLine();
table.AppendLine("| Upload | Images stored | Seconds | Images/s | Server CPU-ms per image | Server RSS before | Server peak RSS |");
table.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    table.AppendLine(CultureInfo.InvariantCulture,
        $"| {r.Name} | {r.Accepted:N0} | {r.Seconds:0.00} | {r.Accepted / r.Seconds:N0} | {1000 * r.CpuSeconds / r.Accepted:0.0} | {r.RssBeforeMb:N0} MB | {r.PeakMb:N0} MB |");
}

table.AppendLine();
table.AppendLine("Aims: at least 200 images/s for the small PNGs and 30 images/s for the JPEGs on 2 cores; peak memory flat as the upload grows (1,000 vs 5,000 PNGs).");
Console.WriteLine();
Console.WriteLine(table);

if (!args.Contains("--no-write"))
{
    BenchmarksDoc.WriteSection(Path.Combine(root, "docs/benchmarks.md"), "datasets", "## Datasets: ingest throughput\n\n" + table);
    Console.WriteLine("Written to docs/benchmarks.md (datasets section).");
}

return 0;

string? ArgValue(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "DiyMl.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}

internal sealed record Result(string Name, int Accepted, double Seconds, double CpuSeconds, double RssBeforeMb, double PeakMb);
