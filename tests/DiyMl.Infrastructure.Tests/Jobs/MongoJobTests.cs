using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure.Jobs;
using DiyMl.Infrastructure.Storage.Mongo;
using DiyMl.Infrastructure.Tests.Storage;

namespace DiyMl.Infrastructure.Tests.Jobs;

/// <summary>
/// The scale-out case over the wire: several instances sharing one MongoDB (CongoDB here, or
/// the real one named by MONGO_TEST_URL), each with its own channel, workers and notifier.
/// </summary>
public sealed class MongoJobTests(MongoTestServer server) : IAsyncLifetime
{
    private MongoEngine _engine = null!;

    public async ValueTask InitializeAsync() =>
        _engine = new MongoEngine(await server.GetUrlAsync(), "diyml_jobs_" + Guid.NewGuid().ToString("N")[..12], TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await _engine.Database.Client.DropDatabaseAsync(_engine.Database.DatabaseNamespace.DatabaseName);
        _engine.Dispose();
    }

    [Fact]
    public async Task Two_instances_sharing_mongodb_run_each_job_once()
    {
        var handler = new ScriptedHandler((_, ctx, _) => ctx.ReportAsync(JobStage.Named("Working"), 1, 1));
        await using var a = await JobTestHost.StartAsync(_engine, handler, o => (o.Workers, o.SingleInstance) = (2, false));
        await using var b = await JobTestHost.StartAsync(_engine, handler, o => (o.Workers, o.SingleInstance) = (2, false));
        var jobs = new List<Job>();
        for (var i = 0; i < 12; i++)
        {
            var job = await a.Jobs.CreateAsync("alice", new JobRequest(JobKind.Training));
            ((IJobQueue)b.Services.GetService(typeof(IJobQueue))!).Announce(job.Id);
            jobs.Add(job);
        }

        foreach (var job in jobs)
        {
            await b.WaitForStatusAsync(job.Id, JobStatus.Succeeded);
        }

        Assert.All(jobs, job => Assert.Equal(1, handler.RunsOf(job.Id)));
        var listed = await a.Jobs.ListAsync("alice", new JobQuery(JobKind.Training, JobStatus.Succeeded, PageSize: 5));
        Assert.Equal(12, listed.Total);
        Assert.Equal(5, listed.Items.Count);
    }

    [Fact]
    public async Task A_cancel_on_a_web_only_instance_stops_the_job_on_the_worker_instance()
    {
        var gate = new Gate();
        await using var worker = await JobTestHost.StartAsync(_engine, new ScriptedHandler(gate.RunAsync), o => o.SingleInstance = false);
        await using var webOnly = await JobTestHost.StartAsync(_engine, new ScriptedHandler(), o => (o.Workers, o.SingleInstance) = (0, false));
        var job = await webOnly.Jobs.CreateAsync("alice", new JobRequest(JobKind.Training));
        await gate.Started; // the worker's sweep found it: the web-only instance runs nothing

        await webOnly.Jobs.CancelAsync("alice", job.Id);

        await gate.TokenTripped;
        await webOnly.WaitForStatusAsync(job.Id, JobStatus.Cancelled);
    }

    [Fact]
    public async Task An_expired_lease_is_recovered_by_another_instance_and_the_job_runs_there()
    {
        var now = DateTime.UtcNow;
        var orphan = new Job
        {
            OwnerId = "alice",
            Kind = JobKind.Training,
            Status = JobStatus.Running,
            Attempts = 1,
            LeaseOwner = "an-instance-that-died",
            LeaseExpiresAt = now.AddMinutes(-1),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await new JobStore(_engine).InsertAsync(orphan, TestContext.Current.CancellationToken);

        await using var host = await JobTestHost.StartAsync(_engine, new ScriptedHandler(), o => o.SingleInstance = false);

        var done = await host.WaitForStatusAsync(orphan.Id, JobStatus.Succeeded);
        Assert.Equal(2, done.Attempts);
    }
}
