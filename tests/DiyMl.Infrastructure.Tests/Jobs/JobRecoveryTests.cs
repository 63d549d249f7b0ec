using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Infrastructure.Tests.Jobs;

public sealed class JobRecoveryTests
{
    [Fact]
    public async Task A_job_left_running_by_a_crash_is_requeued_once_and_then_runs()
    {
        using var storage = new TempLiteDb();
        var crashed = await InsertRunningAsync(storage, attempts: 1, leaseExpiresIn: TimeSpan.FromMinutes(-1));
        var handler = new ScriptedHandler();

        await using var host = await JobTestHost.StartAsync(storage.Engine, handler, o => o.SingleInstance = false);
        var done = await host.WaitForStatusAsync(crashed.Id, JobStatus.Succeeded);

        Assert.Equal(2, done.Attempts);
        Assert.Equal(1, handler.RunsOf(crashed.Id));
    }

    [Fact]
    public async Task A_job_interrupted_a_second_time_fails_with_the_reason()
    {
        using var storage = new TempLiteDb();
        var crashed = await InsertRunningAsync(storage, attempts: 2, leaseExpiresIn: TimeSpan.FromMinutes(-1), earlier: RequeueReason.Restart);
        var handler = new ScriptedHandler();

        await using var host = await JobTestHost.StartAsync(storage.Engine, handler, o => o.SingleInstance = true);
        var failed = await host.WaitForStatusAsync(crashed.Id, JobStatus.Failed);

        Assert.Contains("interrupted twice by a restart", failed.Error, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(failed.FinishedAt);
        Assert.Equal(0, handler.RunsOf(crashed.Id));
    }

    [Fact]
    public async Task A_single_instance_recovers_every_running_job_at_start_up_even_with_a_live_lease()
    {
        using var storage = new TempLiteDb();
        var crashed = await InsertRunningAsync(storage, attempts: 1, leaseExpiresIn: TimeSpan.FromMinutes(10));

        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(), o => o.SingleInstance = true);

        await host.WaitForStatusAsync(crashed.Id, JobStatus.Succeeded);
    }

    [Fact]
    public async Task A_single_instance_leaves_alone_a_job_claimed_after_it_started()
    {
        // The start-up sweep runs in the background; a claim made since this process started is a
        // live worker's, not an orphan (re-queuing it made two runners run one job).
        using var storage = new TempLiteDb();
        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(), o => o.SingleInstance = true, start: false);
        var recovery = host.Services.GetRequiredService<JobRecovery>();
        var startedAt = host.Services.GetRequiredService<JobInstance>().StartedAt;
        var live = await InsertRunningAsync(storage, attempts: 1, leaseExpiresIn: TimeSpan.FromMinutes(10), claimedAt: startedAt.AddMilliseconds(5));
        var orphan = await InsertRunningAsync(storage, attempts: 1, leaseExpiresIn: TimeSpan.FromMinutes(10), claimedAt: startedAt.AddSeconds(-5));

        await recovery.RecoverAsync(atStartup: true, TestContext.Current.CancellationToken);

        Assert.Equal(JobStatus.Running, (await host.Store.GetAsync(live.Id))!.Status);
        Assert.Equal(JobStatus.Queued, (await host.Store.GetAsync(orphan.Id))!.Status);
    }

    [Fact]
    public async Task With_shared_storage_a_live_lease_is_left_alone_until_it_expires()
    {
        using var storage = new TempLiteDb();
        var running = await InsertRunningAsync(storage, attempts: 1, leaseExpiresIn: TimeSpan.FromMinutes(10));
        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(), o => o.SingleInstance = false, start: false);
        var recovery = host.Services.GetRequiredService<JobRecovery>();

        await recovery.RecoverAsync(atStartup: true, TestContext.Current.CancellationToken);
        var untouched = await host.Store.GetAsync(running.Id);
        Assert.Equal(JobStatus.Running, untouched!.Status);

        untouched.LeaseExpiresAt = DateTime.UtcNow.AddSeconds(-1);
        Assert.True(await host.Store.TryReplaceAsync(untouched));
        await recovery.RecoverAsync(atStartup: false, TestContext.Current.CancellationToken);
        Assert.Equal(JobStatus.Queued, (await host.Store.GetAsync(running.Id))!.Status);
    }

    [Fact]
    public async Task A_running_job_whose_cancel_was_requested_before_the_crash_ends_cancelled()
    {
        using var storage = new TempLiteDb();
        var crashed = await InsertRunningAsync(storage, attempts: 1, leaseExpiresIn: TimeSpan.FromMinutes(-1), cancelRequested: true);

        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(), o => o.SingleInstance = false);

        await host.WaitForStatusAsync(crashed.Id, JobStatus.Cancelled);
    }

    [Fact]
    public async Task A_queued_job_that_was_never_announced_is_found_by_the_sweep_and_run()
    {
        using var storage = new TempLiteDb();
        var job = new Job { OwnerId = "alice", Kind = JobKind.Training, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        await new JobStore(storage.Engine).InsertAsync(job, TestContext.Current.CancellationToken);

        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler());

        await host.WaitForStatusAsync(job.Id, JobStatus.Succeeded);
    }

    [Fact]
    public async Task Progress_of_a_job_running_on_another_instance_reaches_listeners_here()
    {
        using var storage = new TempLiteDb();
        var gate = new Gate();
        await using var worker = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(gate.RunAsync));
        await using var webOnly = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(), o => o.Workers = 0);
        var seen = new TaskCompletionSource<JobSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = webOnly.Notifier.SubscribeOwner("alice", update =>
        {
            if (update.Progress.Stage == "Featurizing")
            {
                seen.TrySetResult(update);
            }
        });

        var job = await worker.Jobs.CreateAsync("alice", new JobRequest(JobKind.Training));
        var relayed = await seen.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        gate.Release();

        Assert.Equal(job.Id, relayed.Id);
        Assert.Equal((3, 10), (relayed.Progress.Done, relayed.Progress.Total));
        await webOnly.WaitForStatusAsync(job.Id, JobStatus.Succeeded);
    }

    private static async Task<Job> InsertRunningAsync(
        TempLiteDb storage, int attempts, TimeSpan leaseExpiresIn, bool cancelRequested = false, DateTime? claimedAt = null, RequeueReason? earlier = null)
    {
        var now = claimedAt ?? DateTime.UtcNow;
        var job = new Job
        {
            OwnerId = "alice",
            Kind = JobKind.Training,
            Status = JobStatus.Running,
            Attempts = attempts,
            LeaseOwner = "an-instance-that-crashed",
            LeaseExpiresAt = now + leaseExpiresIn,
            CancelRequested = cancelRequested,
            CreatedAt = now,
            StartedAt = now,
            UpdatedAt = now,
            Progress = new JobProgress { Stage = "Featurizing", Done = 40, Total = 100 },
            Requeues = earlier is { } reason ? [new JobRequeue { At = now.AddMinutes(-5), Reason = reason, Attempt = attempts - 1 }] : [],
        };
        await new JobStore(storage.Engine).InsertAsync(job, TestContext.Current.CancellationToken);
        return job;
    }
}
