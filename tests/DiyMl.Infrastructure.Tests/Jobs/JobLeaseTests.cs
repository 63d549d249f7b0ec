using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure.Jobs;

namespace DiyMl.Infrastructure.Tests.Jobs;

/// <summary>The lease alone decides who runs a job: not the instance id, not a guess about restarts.</summary>
public sealed class JobLeaseTests
{
    [Fact]
    public async Task A_job_held_under_this_instances_own_fixed_id_before_a_restart_is_requeued_when_its_lease_expires()
    {
        // The previous process ran with the same Jobs:InstanceId and was killed; its lease runs out soon.
        using var storage = new TempLiteDb();
        var now = DateTime.UtcNow;
        var orphan = await InsertRunningAsync(storage, holder: "fixed-worker:0a1b2c3d", startedAt: now.AddSeconds(-10), leaseExpiresAt: now.AddSeconds(1));
        var handler = new ScriptedHandler();

        await using var host = await JobTestHost.StartAsync(storage.Engine, handler, o => (o.InstanceId, o.SingleInstance) = ("fixed-worker", false));
        var done = await host.WaitForStatusAsync(orphan.Id, JobStatus.Succeeded);

        Assert.Equal(1, handler.RunsOf(orphan.Id));
        Assert.Equal(2, done.Attempts);
        Assert.Equal(RequeueReason.Restart, Assert.Single(done.Requeues).Reason);
        Assert.Contains("restarted", done.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_that_cannot_renew_its_lease_stops_before_it_expires_and_the_job_then_runs_once_more()
    {
        using var storage = new TempLiteDb();
        var gate = new Gate();
        var handler = new ScriptedHandler();
        var running = 0;
        var overlapped = false;
        var completed = 0;
        handler.Script = async (job, context, ct) =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            try
            {
                if (handler.RunsOf(job.Id) == 1)
                {
                    await gate.RunAsync(job, context, ct);
                }

                Interlocked.Increment(ref completed);
                context.SetResult(new { Accuracy = 1.0 });
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        };
        await using var host = await JobTestHost.StartAsync(storage.Engine, handler, o => (o.LeaseSeconds, o.SingleInstance) = (4, false));
        var granted = DateTime.MinValue;
        host.Observed.Written += written => granted = written.LeaseExpiresAt ?? granted;
        var job = await host.Jobs.CreateAsync("alice", new JobRequest(JobKind.Training));
        await gate.Started;

        host.Observed.Stall(); // the database stops answering: no renewal can land
        DateTime stoppedAt;
        try
        {
            await gate.TokenTripped;
            stoppedAt = DateTime.UtcNow;
        }
        finally
        {
            host.Observed.Resume();
        }

        var done = await host.WaitForStatusAsync(job.Id, JobStatus.Succeeded);

        Assert.True(stoppedAt < granted, $"The worker stopped at {stoppedAt:O}, after its lease ran out at {granted:O}.");
        Assert.False(overlapped);
        Assert.Equal(1, completed);
        Assert.Equal(2, done.Attempts);
        Assert.Equal(RequeueReason.LeaseLost, Assert.Single(done.Requeues).Reason);
        Assert.Contains("lost contact with the database", done.Notice, StringComparison.Ordinal);
        Assert.DoesNotContain("restart", done.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_job_with_a_live_lease_under_another_holder_is_never_taken_over()
    {
        using var storage = new TempLiteDb();
        var now = DateTime.UtcNow;
        var live = await InsertRunningAsync(storage, holder: "other-instance:12345678", startedAt: now, leaseExpiresAt: now.AddMinutes(10));
        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(), o => o.SingleInstance = false, start: false);
        var recovery = host.Services.GetService(typeof(JobRecovery)) as JobRecovery;

        await recovery!.RecoverAsync(atStartup: true, TestContext.Current.CancellationToken);

        var stored = await host.Store.GetAsync(live.Id);
        Assert.Equal(JobStatus.Running, stored!.Status);
        Assert.Empty(stored.Requeues);
    }

    private static async Task<Job> InsertRunningAsync(TempLiteDb storage, string holder, DateTime startedAt, DateTime leaseExpiresAt)
    {
        var job = new Job
        {
            OwnerId = "alice",
            Kind = JobKind.Training,
            Status = JobStatus.Running,
            Attempts = 1,
            LeaseOwner = holder,
            LeaseExpiresAt = leaseExpiresAt,
            CreatedAt = startedAt,
            StartedAt = startedAt,
            UpdatedAt = startedAt,
        };
        await new JobStore(storage.Engine).InsertAsync(job, TestContext.Current.CancellationToken);
        return job;
    }
}
