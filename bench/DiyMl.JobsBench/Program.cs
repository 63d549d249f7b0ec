// Jobs benchmark: how long a job created on a web-only instance (Jobs:Workers=0) waits before a
// worker instance starts it, both sharing one MongoDB (CongoDB here). Each instance is its own
// service provider with its own Mongo client, channel, notifier and hosted services, as two
// processes would be. The handler does nothing, so the figure is pure pickup latency.
// Usage: dotnet run -c Release --project bench/DiyMl.JobsBench [-- rounds] [--write-docs]
using System.Diagnostics;
using System.Globalization;
using DiyMl.JobsBench;

var rounds = args.Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0);
rounds = rounds > 0 ? rounds : 20;
var root = RepoRoot();
await using var congo = await CongoProcess.StartAsync(Path.Combine(root, "tools", "congodb"));

var started = DateTime.UtcNow;
var now = await PickupScenario.RunAsync(congo.Url, "now (poll 0.2 s, backing off to 0.8 s)", rounds, o => { });
var before = await PickupScenario.RunAsync(congo.Url, "before (10 s sweep only)", Math.Max(3, rounds / 4), o =>
{
    o.QueuedPollSeconds = 10;
    o.QueuedPollMaxSeconds = 10;
});
var local = await PickupScenario.RunAsync(congo.Url, "created on the worker instance itself", rounds, o => { }, onWorker: true);

var table = PickupScenario.Markdown(started, rounds, [now, before, local]);
Console.WriteLine(table);
if (args.Contains("--write-docs"))
{
    Docs.ReplaceSection(Path.Combine(root, "docs", "benchmarks.md"), "jobs-pickup", table);
    Console.WriteLine("docs/benchmarks.md updated");
}

static string RepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DiyMl.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository.");
}

internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Ms(double seconds) => (seconds * 1000).ToString("0", CultureInfo.InvariantCulture) + " ms";
}
