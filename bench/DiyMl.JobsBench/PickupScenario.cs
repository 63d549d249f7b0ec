using System.Diagnostics;
using System.Globalization;
using System.Text;
using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure.Jobs;
using DiyMl.Infrastructure.Storage;
using DiyMl.Infrastructure.Storage.Mongo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DiyMl.JobsBench;

internal sealed record PickupResult(string Name, IReadOnlyList<double> Seconds);

internal static class PickupScenario
{
    /// <summary>One web-only and one worker instance on a fresh database; each round creates a job and times create → Running on the worker.</summary>
    public static async Task<PickupResult> RunAsync(string url, string name, int rounds, Action<JobOptions> configure, bool onWorker = false)
    {
        var database = "diyml_jobsbench_" + Guid.NewGuid().ToString("N")[..10];
        await using var web = await Instance.StartAsync(url, database, o => { o.Workers = 0; configure(o); });
        await using var worker = await Instance.StartAsync(url, database, o => { o.Workers = 1; configure(o); });
        var creator = onWorker ? worker : web;
        await Task.Delay(TimeSpan.FromSeconds(2)); // let the poll back off to idle, as between real users' clicks
        var seconds = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            var running = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var subscription = worker.Notifier.SubscribeOwner("bench", s =>
            {
                if (s.Status == JobStatus.Running)
                {
                    running.TrySetResult(s.Id);
                }
            });
            var clock = Stopwatch.StartNew();
            var job = await creator.Jobs.CreateAsync("bench", new JobRequest(JobKind.Training));
            var id = await running.Task.WaitAsync(TimeSpan.FromSeconds(60));
            seconds.Add(clock.Elapsed.TotalSeconds);
            if (id != job.Id)
            {
                throw new InvalidOperationException("Another job started first.");
            }

            // Idle gaps of varying length, so rounds land at different points of the poll's backoff.
            await Task.Delay(TimeSpan.FromMilliseconds(300 + (i * 137 % 1200)));
        }

        Console.WriteLine($"{name}: {string.Join(", ", seconds.Select(Stats.Ms))}");
        return new PickupResult(name, seconds);
    }

    public static string Markdown(DateTime started, int rounds, IReadOnlyList<PickupResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Jobs: pickup latency across instances (bench/DiyMl.JobsBench, {started:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine("One web-only instance (`Jobs:Workers=0`) and one worker instance share one CongoDB (MongoDB wire),");
        text.AppendLine("each with its own client, channel, notifier and hosted services; the handler does nothing. A round");
        text.AppendLine("creates a job and times create → Running on the worker; rounds are 0.3–1.5 s apart, so they meet the");
        text.AppendLine(CultureInfo.InvariantCulture, $"poll at every point of its backoff. 2-core machine shared with other builds; {rounds} rounds unless noted.");
        text.AppendLine();
        text.AppendLine("| Where the job is created / poll settings | rounds | median | p90 | max |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var r in results)
        {
            var sorted = r.Seconds.Order().ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Name} | {sorted.Count} | {Stats.Ms(Stats.Percentile(sorted, 0.5))} | {Stats.Ms(Stats.Percentile(sorted, 0.9))} | {Stats.Ms(sorted[^1])} |");
        }

        text.AppendLine();
        text.AppendLine("Run: `tools/congodb/install.sh && dotnet run -c Release --project bench/DiyMl.JobsBench -- 20 --write-docs`.");
        return text.ToString();
    }

    private sealed class Instance : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly List<IHostedService> _hosted = [];

        private Instance(ServiceProvider services) => _services = services;

        public JobService Jobs => _services.GetRequiredService<JobService>();

        public IJobNotifier Notifier => _services.GetRequiredService<IJobNotifier>();

        public static async Task<Instance> StartAsync(string url, string database, Action<JobOptions> configure)
        {
            var services = new ServiceCollection();
            services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
            services.AddSingleton<IStorageEngine>(new MongoEngine(url, database, TimeSpan.FromSeconds(10)));
            services.AddSingleton(TimeProvider.System);
            services.AddJobs();
            services.AddJobRunner();
            services.AddSingleton<IJobHandler, NothingHandler>();
            services.Configure<JobOptions>(o =>
            {
                o.SingleInstance = false;
                configure(o);
            });
            var instance = new Instance(services.BuildServiceProvider());
            foreach (var hosted in instance._services.GetServices<IHostedService>())
            {
                await hosted.StartAsync(CancellationToken.None);
                instance._hosted.Add(hosted);
            }

            return instance;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var hosted in Enumerable.Reverse(_hosted))
            {
                await hosted.StopAsync(CancellationToken.None);
            }

            await _services.DisposeAsync();
        }
    }

    private sealed class NothingHandler : IJobHandler
    {
        public JobKind Kind => JobKind.Training;

        public Task RunAsync(Job job, IJobContext context, CancellationToken ct) => Task.CompletedTask;
    }
}
