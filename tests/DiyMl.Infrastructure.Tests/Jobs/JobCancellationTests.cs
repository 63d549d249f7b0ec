using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Infrastructure.Tests.Jobs;

public sealed class JobCancellationTests
{
    private static readonly JobRequest Training = new(JobKind.Training, DatasetId: "dataset-1");

    [Fact]
    public async Task Cancelling_a_queued_job_cancels_it_at_once_and_it_never_runs()
    {
        using var storage = new TempLiteDb();
        var handler = new ScriptedHandler();
        await using var host = await JobTestHost.StartAsync(storage.Engine, handler, o => o.Workers = 0);
        var job = await host.Jobs.CreateAsync("alice", Training);

        var cancelled = await host.Jobs.CancelAsync("alice", job.Id);
        await host.Services.GetRequiredService<JobRunner>().RunAsync(job.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal(JobStatus.Cancelled, (await host.Store.GetAsync(job.Id))!.Status);
        Assert.Equal(0, handler.RunsOf(job.Id));
    }

    [Fact]
    public async Task Cancelling_a_running_job_trips_its_token_and_ends_cancelled_without_a_model()
    {
        using var storage = new TempLiteDb();
        var gate = new Gate();
        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(gate.RunAsync));
        var job = await host.Jobs.CreateAsync("alice", Training);
        await gate.Started;

        var answered = await host.Jobs.CancelAsync("alice", job.Id);
        await gate.TokenTripped;
        var cancelled = await host.WaitForStatusAsync(job.Id, JobStatus.Cancelled);

        Assert.True(answered.CancelRequested);
        Assert.Null(cancelled.ModelId);
        Assert.Null(cancelled.Error);
        Assert.NotNull(cancelled.FinishedAt);
    }

    [Fact]
    public async Task A_cancel_issued_on_another_instance_reaches_the_worker_through_the_document()
    {
        using var storage = new TempLiteDb();
        var gate = new Gate();
        await using var worker = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(gate.RunAsync));
        await using var webOnly = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(), o => o.Workers = 0);
        var job = await worker.Jobs.CreateAsync("alice", Training);
        await gate.Started;

        await webOnly.Jobs.CancelAsync("alice", job.Id);

        await gate.TokenTripped;
        await worker.WaitForStatusAsync(job.Id, JobStatus.Cancelled);
    }

    [Fact]
    public async Task Cancelling_a_finished_job_is_a_conflict()
    {
        using var storage = new TempLiteDb();
        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler());
        var job = await host.Jobs.CreateAsync("alice", Training);
        await host.WaitForStatusAsync(job.Id, JobStatus.Succeeded);

        await Assert.ThrowsAsync<ConflictException>(() => host.Jobs.CancelAsync("alice", job.Id));
    }

    [Fact]
    public async Task A_graceful_stop_puts_a_running_job_back_in_the_queue_and_the_next_start_runs_it()
    {
        using var storage = new TempLiteDb();
        var gate = new Gate();
        var job = default(Job);
        await using (var first = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(gate.RunAsync)))
        {
            job = await first.Jobs.CreateAsync("alice", Training);
            await gate.Started;
            await first.StopHostedAsync();

            var paused = await first.Store.GetAsync(job.Id);
            Assert.Equal(JobStatus.Queued, paused!.Status);
            Assert.Equal(RequeueReason.Shutdown, Assert.Single(paused.Requeues).Reason);
            Assert.Equal(0, paused.Interruptions);
        }

        await using var second = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler());
        var done = await second.WaitForStatusAsync(job.Id, JobStatus.Succeeded);

        // Two real starts, but a graceful stop is no interruption: nothing to warn anyone about.
        Assert.Equal(2, done.Attempts);
        Assert.Null(JobSnapshot.From(done).Notice);
    }
}
