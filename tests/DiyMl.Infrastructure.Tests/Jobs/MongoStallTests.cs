using System.Diagnostics;
using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure.Storage.Mongo;
using DiyMl.Infrastructure.Tests.Storage;

namespace DiyMl.Infrastructure.Tests.Jobs;

/// <summary>
/// A database that stops answering for longer than the lease (CongoDB's process frozen with
/// SIGSTOP, then SIGCONT), over the real MongoDB driver. The CongoDB is the test's own, so
/// freezing it stalls nobody else's tests.
/// </summary>
public sealed class MongoStallTests
{
    private const double LeaseSeconds = 3;

    [Fact]
    public async Task A_database_pause_longer_than_the_lease_ends_the_job_once_and_says_it_was_run_again()
    {
        if (MongoTestServer.IsRealMongo)
        {
            Assert.Skip("Pausing needs the test's own CongoDB process; MONGO_TEST_URL points at a shared server.");
        }

        await using var server = new MongoTestServer();
        using var engine = new MongoEngine(await server.GetUrlAsync(), "diyml_stall", TimeSpan.FromSeconds(30));
        var handler = new ScriptedHandler();
        var firstRunWorking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstRunEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var overlapped = false;
        var completed = 0;
        handler.Script = async (job, context, ct) =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            try
            {
                // The first run works (reporting progress) until its token trips; the re-run is quick.
                for (var step = 0; handler.RunsOf(job.Id) == 1; step++)
                {
                    await context.ReportAsync(JobStage.Named("Working"), step, 1000);
                    firstRunWorking.TrySetResult();
                    await Task.Delay(50, ct);
                }

                Interlocked.Increment(ref completed);
                context.SetResult(new { Accuracy = 1.0 });
            }
            finally
            {
                Interlocked.Decrement(ref running);
                if (handler.RunsOf(job.Id) == 1)
                {
                    firstRunEnded.TrySetResult();
                }
            }
        };
        await using var host = await JobTestHost.StartAsync(engine, handler, o => (o.LeaseSeconds, o.SingleInstance) = (LeaseSeconds, false));
        var granted = DateTime.MinValue;
        host.Observed.Written += written => granted = written.LeaseExpiresAt ?? granted;
        var job = await host.Jobs.CreateAsync("alice", new JobRequest(JobKind.Training));
        await firstRunWorking.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Signal("STOP", server.ProcessId!.Value);
        try
        {
            // The worker must stop on its own while the database is frozen...
            await firstRunEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.True(DateTime.UtcNow < granted, "The worker stopped only after its lease had run out.");

            // ...and the pause outlasts the lease, as a real outage would.
            var outage = granted - DateTime.UtcNow + TimeSpan.FromSeconds(1);
            await Task.Delay(outage > TimeSpan.Zero ? outage : TimeSpan.Zero, TestContext.Current.CancellationToken);
        }
        finally
        {
            Signal("CONT", server.ProcessId!.Value);
        }

        var done = await host.WaitForStatusAsync(job.Id, JobStatus.Succeeded);
        Assert.False(overlapped);
        Assert.Equal(1, completed);
        Assert.Equal(2, done.Attempts);
        Assert.Equal(RequeueReason.LeaseLost, Assert.Single(done.Requeues).Reason);
        Assert.Contains("lost contact with the database", done.Notice, StringComparison.Ordinal);
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
