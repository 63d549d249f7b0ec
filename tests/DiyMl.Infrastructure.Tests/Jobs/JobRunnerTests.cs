using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Infrastructure.Tests.Jobs;

public sealed class JobRunnerTests
{
    private static readonly JobRequest Training = new(JobKind.Training, DatasetId: "dataset-1");

    [Fact]
    public async Task A_job_is_saved_before_it_is_announced()
    {
        using var storage = new TempLiteDb();
        var probe = new AnnounceProbe();
        await using var host = await JobTestHost.StartAsync(
            storage.Engine,
            new ScriptedHandler(),
            services: s => s.AddSingleton<IJobQueue>(sp => probe.Watching(sp.GetRequiredService<IJobStore>())),
            start: false);

        var job = await host.Jobs.CreateAsync("alice", Training);

        Assert.Equal([job.Id], probe.Announced);
        Assert.Equal([JobStatus.Queued], probe.StoredStatusAtAnnounce);
    }

    [Fact]
    public async Task A_job_runs_to_success_and_keeps_its_model_result_and_stage_timings()
    {
        using var storage = new TempLiteDb();
        var gate = new Gate();
        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(gate.RunAsync));

        var job = await host.Jobs.CreateAsync("alice", Training);
        await gate.Started;
        gate.Release();
        var done = await host.WaitForStatusAsync(job.Id, JobStatus.Succeeded);

        Assert.Equal("model-of-" + job.Id, done.ModelId);
        Assert.Equal("""{"accuracy":0.9}""", done.ResultJson);
        Assert.Equal(1, done.Attempts);
        Assert.Null(done.LeaseOwner);
        Assert.NotNull(done.StartedAt);
        Assert.NotNull(done.FinishedAt);
        Assert.Contains("Featurizing", done.Progress.StageSeconds.Keys);
        Assert.Contains("Fitting", done.Progress.StageSeconds.Keys);
    }

    [Fact]
    public async Task Each_job_is_claimed_exactly_once_when_many_workers_race_for_it()
    {
        using var storage = new TempLiteDb();
        var handler = new ScriptedHandler();
        await using var host = await JobTestHost.StartAsync(storage.Engine, handler, o => o.Workers = 0);
        var runner = host.Services.GetRequiredService<JobRunner>();
        var jobs = new List<Job>();
        for (var i = 0; i < 20; i++)
        {
            jobs.Add(await host.Jobs.CreateAsync("alice", Training));
        }

        await Task.WhenAll(jobs.SelectMany(job => Enumerable.Range(0, 6)
            .Select(_ => Task.Run(() => runner.RunAsync(job.Id, CancellationToken.None), TestContext.Current.CancellationToken))));

        Assert.All(jobs, job => Assert.Equal(1, handler.RunsOf(job.Id)));
        foreach (var job in jobs)
        {
            Assert.Equal(JobStatus.Succeeded, (await host.Store.GetAsync(job.Id))!.Status);
        }
    }

    [Fact]
    public async Task Two_instances_sharing_one_store_run_each_job_once()
    {
        using var storage = new TempLiteDb();
        var handler = new ScriptedHandler((_, ctx, _) => ctx.ReportAsync(JobStage.Named("Working"), 1, 1));
        await using var a = await JobTestHost.StartAsync(storage.Engine, handler, o => o.Workers = 3);
        await using var b = await JobTestHost.StartAsync(storage.Engine, handler, o => o.Workers = 3);
        var bQueue = b.Services.GetRequiredService<IJobQueue>();

        var jobs = new List<Job>();
        for (var i = 0; i < 30; i++)
        {
            var job = await a.Jobs.CreateAsync("alice", Training);
            bQueue.Announce(job.Id);
            jobs.Add(job);
        }

        foreach (var job in jobs)
        {
            await a.WaitForStatusAsync(job.Id, JobStatus.Succeeded);
        }

        Assert.All(jobs, job => Assert.Equal(1, handler.RunsOf(job.Id)));
    }

    [Fact]
    public async Task A_failing_job_fails_with_its_message_and_the_next_job_still_runs()
    {
        using var storage = new TempLiteDb();
        var handler = new ScriptedHandler((job, _, _) => job.DatasetId == "broken"
            ? throw new InvalidOperationException("The dataset has no images left.")
            : Task.CompletedTask);
        await using var host = await JobTestHost.StartAsync(storage.Engine, handler);

        var broken = await host.Jobs.CreateAsync("alice", Training with { DatasetId = "broken" });
        var fine = await host.Jobs.CreateAsync("alice", Training);

        var failed = await host.WaitForStatusAsync(broken.Id, JobStatus.Failed);
        await host.WaitForStatusAsync(fine.Id, JobStatus.Succeeded);
        Assert.Equal("The dataset has no images left.", failed.Error);
        Assert.NotNull(failed.FinishedAt);
    }

    [Fact]
    public async Task A_job_of_a_kind_nobody_handles_fails_with_a_reason()
    {
        using var storage = new TempLiteDb();
        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler());

        var job = await host.Jobs.CreateAsync("alice", new JobRequest(JobKind.BatchPrediction));

        var failed = await host.WaitForStatusAsync(job.Id, JobStatus.Failed);
        Assert.Contains("BatchPrediction", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_is_saved_at_stage_changes_and_while_a_stage_runs_with_rate_and_eta()
    {
        using var storage = new TempLiteDb();
        var firstSaved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new ScriptedHandler(async (_, ctx, ct) =>
        {
            await ctx.ReportAsync(JobStage.Named("Featurizing"), 3, 10);
            firstSaved.TrySetResult();
            await next.Task.WaitAsync(ct);
            await Task.Delay(30, ct); // some work, so the stage has a measurable rate
            await ctx.ReportAsync(JobStage.Named("Featurizing"), 7, 10);
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var host = await JobTestHost.StartAsync(storage.Engine, handler);
        var job = await host.Jobs.CreateAsync("alice", Training);

        await firstSaved.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var stored = await host.Store.GetAsync(job.Id);
        Assert.Equal(("Featurizing", 3, 10), (stored!.Progress.Stage, stored.Progress.Done, stored.Progress.Total));

        var seventhSaved = host.Observed.WaitForWriteAsync(job.Id, j => j.Progress.Done == 7);
        next.TrySetResult();
        var saved = await seventhSaved;
        Assert.True(saved.Progress.Rate > 0);
        Assert.True(saved.Progress.EtaSeconds > 0);
        Assert.Equal(JobStatus.Running, saved.Status);

        await host.Jobs.CancelAsync("alice", job.Id);
        await host.WaitForStatusAsync(job.Id, JobStatus.Cancelled);
    }

    [Fact]
    public async Task A_running_job_keeps_renewing_its_lease()
    {
        using var storage = new TempLiteDb();
        var gate = new Gate();
        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(gate.RunAsync));
        var job = await host.Jobs.CreateAsync("alice", Training);
        await gate.Started;
        var before = (await host.Store.GetAsync(job.Id))!.LeaseExpiresAt;

        var renewed = await host.Observed.WaitForWriteAsync(job.Id, j => j.LeaseExpiresAt > before);

        Assert.Equal(JobStatus.Running, renewed.Status);
        gate.Release();
        await host.WaitForStatusAsync(job.Id, JobStatus.Succeeded);
    }

    private sealed class AnnounceProbe : IJobQueue
    {
        private IJobStore? _store;

        public List<string> Announced { get; } = [];

        public List<JobStatus?> StoredStatusAtAnnounce { get; } = [];

        public AnnounceProbe Watching(IJobStore store)
        {
            _store = store;
            return this;
        }

        public bool Announce(string jobId)
        {
            Announced.Add(jobId);
            StoredStatusAtAnnounce.Add(_store!.GetAsync(jobId).GetAwaiter().GetResult()?.Status);
            return true;
        }
    }
}
