using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;

namespace DiyMl.Domain.Tests.Jobs;

public sealed class JobLifecycleTests
{
    private static readonly DateTime T0 = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Only_a_queued_job_can_be_claimed_and_a_claim_takes_a_lease_and_counts_an_attempt()
    {
        var job = Job.Create("alice", new JobRequest(JobKind.Training), T0);

        job.Claim("worker:1", T0, TimeSpan.FromSeconds(30));

        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal(1, job.Attempts);
        Assert.True(job.IsHeldBy("worker:1"));
        Assert.False(job.LeaseExpired(T0.AddSeconds(29)));
        Assert.True(job.LeaseExpired(T0.AddSeconds(31)));
        Assert.Throws<InvalidOperationException>(() => job.Claim("worker:2", T0, TimeSpan.FromSeconds(30)));
        Assert.Throws<InvalidOperationException>(() => job.Renew("worker:2", T0.AddSeconds(60)));
    }

    [Fact]
    public void A_graceful_stop_is_no_interruption_and_the_job_is_queued_again_without_a_notice()
    {
        var job = Running();

        Assert.Equal(JobStatus.Queued, job.Requeue(RequeueReason.Shutdown, T0));

        Assert.Equal(0, job.Interruptions);
        Assert.Null(job.Notice);
        Assert.Null(job.LeaseOwner);
    }

    [Fact]
    public void A_second_restart_fails_the_job_saying_it_was_interrupted_twice_by_a_restart()
    {
        var job = Running();
        job.Requeue(RequeueReason.Restart, T0);
        job.Claim("worker:2", T0, TimeSpan.FromSeconds(30));

        Assert.Equal(JobStatus.Failed, job.Requeue(RequeueReason.Restart, T0.AddMinutes(1)));
        Assert.Contains("interrupted twice by a restart", job.Error, StringComparison.Ordinal);
        Assert.Equal(T0.AddMinutes(1), job.FinishedAt);
    }

    [Fact]
    public void A_lost_lease_is_never_called_a_restart()
    {
        var job = Running();
        job.Requeue(RequeueReason.LeaseLost, T0);
        Assert.Contains("lost contact with the database", job.Notice, StringComparison.Ordinal);
        job.Claim("worker:2", T0, TimeSpan.FromSeconds(30));

        job.Requeue(RequeueReason.LeaseLost, T0);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.DoesNotContain("restart", job.Error, StringComparison.Ordinal);
        Assert.Contains("lost contact with the database", job.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_requeue_of_a_job_whose_cancel_was_requested_ends_it_cancelled()
    {
        var job = Running();
        job.RequestCancel(T0);

        Assert.Equal(JobStatus.Cancelled, job.Requeue(RequeueReason.Restart, T0));
    }

    [Fact]
    public void Cancelling_a_queued_job_ends_it_at_once_and_cancelling_a_finished_one_is_a_conflict()
    {
        var job = Job.Create("alice", new JobRequest(JobKind.Training), T0);

        job.RequestCancel(T0);

        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.Equal(JobStage.Cancelled.Name, job.Progress.Stage);
        Assert.Throws<ConflictException>(() => job.RequestCancel(T0));
    }

    [Fact]
    public void Success_keeps_the_result_and_model_and_releases_the_lease()
    {
        var job = Running();

        job.Succeed(T0, "model-1", JobJson.Write(new { Accuracy = 0.5 }));

        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("model-1", job.ModelId);
        Assert.Equal("""{"accuracy":0.5}""", job.ResultJson);
        Assert.Null(job.LeaseOwner);
        Assert.Throws<InvalidOperationException>(() => job.Fail(T0, "late"));
    }

    [Fact]
    public void A_live_view_never_moves_a_finished_job_back_nor_progress_backwards()
    {
        var running = JobSnapshot.From(Running());
        var older = running with { UpdatedAt = T0.AddSeconds(-1) };
        var done = running with { Status = JobStatus.Succeeded, UpdatedAt = T0.AddSeconds(5) };

        Assert.False(older.Supersedes(running));
        Assert.True(done.Supersedes(running));
        Assert.False(running.Supersedes(done));
        Assert.True(running.Supersedes(null));
    }

    private static Job Running()
    {
        var job = Job.Create("alice", new JobRequest(JobKind.Training), T0);
        job.Claim("worker:1", T0, TimeSpan.FromSeconds(30));
        return job;
    }
}
