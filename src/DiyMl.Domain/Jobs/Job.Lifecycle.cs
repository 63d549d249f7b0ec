using DiyMl.Domain.Common;

namespace DiyMl.Domain.Jobs;

/// <summary>
/// The transitions. Each checks the state it starts from and throws
/// <see cref="InvalidOperationException"/> otherwise (a caller bug), except a cancel of a
/// finished job, which is the user's <see cref="ConflictException"/>.
/// </summary>
public sealed partial class Job
{
    /// <summary>Interruptions (restarts, lost leases) a job survives; the next one fails it.</summary>
    public const int MaxInterruptions = 2;

    public static Job Create(string ownerId, JobRequest request, DateTime now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        return new Job
        {
            OwnerId = ownerId,
            Kind = request.Kind,
            DatasetId = request.DatasetId,
            ModelId = request.ModelId,
            InputJson = request.InputJson,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Times it was stopped against its will (graceful shutdowns do not count).</summary>
    public int Interruptions => Requeues.Count(r => r.Reason != RequeueReason.Shutdown);

    public bool IsHeldBy(string worker) =>
        Status == JobStatus.Running && string.Equals(LeaseOwner, worker, StringComparison.Ordinal);

    /// <summary>Running with a lease that ran out (or none): whoever held it is not working on it any more.</summary>
    public bool LeaseExpired(DateTime now) => Status == JobStatus.Running && (LeaseExpiresAt is null || LeaseExpiresAt < now);

    /// <summary>What a person should know about a job that had to be re-run, or null.</summary>
    public string? Notice => Interruptions == 0
        ? null
        : $"Started again ({Attempts} attempts): {string.Join("; ", Requeues.Where(r => r.Reason != RequeueReason.Shutdown).Select(r => Because(r.Reason)))}.";

    public void Claim(string worker, DateTime now, TimeSpan lease)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        Expect(JobStatus.Queued, "claim");
        Status = JobStatus.Running;
        Attempts++;
        LeaseOwner = worker;
        LeaseExpiresAt = now + lease;
        StartedAt = now;
        UpdatedAt = now;
        Error = null;
        Progress = JobProgress.At(JobStage.Starting);
    }

    /// <summary>Extends the lease. <paramref name="expiresAt"/> is computed before the write is sent, so the worker never believes in more time than the store grants.</summary>
    public void Renew(string worker, DateTime expiresAt)
    {
        if (!IsHeldBy(worker))
        {
            throw new InvalidOperationException($"Job {Id} is not leased to {worker}; it cannot renew it.");
        }

        LeaseExpiresAt = expiresAt;
    }

    /// <summary>The runner's latest progress (saved together with a renewal).</summary>
    public void Advance(JobProgress progress, DateTime updatedAt)
    {
        Expect(JobStatus.Running, "report progress of");
        Progress = progress.Copy();
        UpdatedAt = updatedAt > UpdatedAt ? updatedAt : UpdatedAt;
    }

    /// <summary>
    /// Back to the queue: a cancel requested meanwhile ends it cancelled; an interruption past
    /// <see cref="MaxInterruptions"/> fails it, saying what happened. Returns the new status.
    /// </summary>
    public JobStatus Requeue(RequeueReason reason, DateTime now)
    {
        Expect(JobStatus.Running, "requeue");
        Requeues.Add(new JobRequeue { At = now, Reason = reason, Attempt = Attempts, Worker = LeaseOwner });
        ReleaseLease(now);
        Progress.Rate = null;
        Progress.EtaSeconds = null;
        if (CancelRequested)
        {
            End(JobStatus.Cancelled, now);
        }
        else if (reason != RequeueReason.Shutdown && Interruptions > MaxInterruptions - 1)
        {
            Error = GaveUp();
            End(JobStatus.Failed, now);
        }
        else
        {
            Status = JobStatus.Queued;
            StartedAt = null;
            Progress = JobProgress.At(JobStage.Queued);
        }

        return Status;
    }

    /// <summary>Queued: cancelled at once. Running: flagged, and the worker stops within about a second.</summary>
    public void RequestCancel(DateTime now)
    {
        if (IsFinished)
        {
            throw new ConflictException($"Job '{Id}' has already finished ({Status}); there is nothing to cancel.");
        }

        CancelRequested = true;
        UpdatedAt = now;
        if (Status == JobStatus.Queued)
        {
            End(JobStatus.Cancelled, now);
        }
    }

    public void Succeed(DateTime now, string? modelId, string? resultJson)
    {
        Expect(JobStatus.Running, "succeed");
        ModelId = modelId ?? ModelId;
        ResultJson = resultJson ?? ResultJson;
        ReleaseLease(now);
        End(JobStatus.Succeeded, now);
    }

    public void Fail(DateTime now, string error)
    {
        Expect(JobStatus.Running, "fail");
        Error = error;
        ReleaseLease(now);
        End(JobStatus.Failed, now);
    }

    /// <summary>The worker stopped after a cancel request.</summary>
    public void ConfirmCancelled(DateTime now)
    {
        Expect(JobStatus.Running, "cancel");
        ReleaseLease(now);
        End(JobStatus.Cancelled, now);
    }

    private void End(JobStatus status, DateTime now)
    {
        Status = status;
        FinishedAt = now;
        UpdatedAt = now;
        Progress.EtaSeconds = null;
        if (status != JobStatus.Succeeded)
        {
            Progress.Rate = null;
        }

        if (status == JobStatus.Cancelled)
        {
            Progress.Stage = JobStage.Cancelled.Name;
        }
    }

    private void ReleaseLease(DateTime now)
    {
        LeaseOwner = null;
        LeaseExpiresAt = null;
        UpdatedAt = now;
    }

    private void Expect(JobStatus status, string action)
    {
        if (Status != status)
        {
            throw new InvalidOperationException($"Cannot {action} job {Id}: it is {Status}, not {status}.");
        }
    }

    private string GaveUp()
    {
        var reasons = Requeues.Where(r => r.Reason != RequeueReason.Shutdown).Select(r => r.Reason).ToList();
        var times = reasons.Count == 2 ? "twice" : $"{reasons.Count} times";
        var why = reasons.All(r => r == RequeueReason.Restart)
            ? "by a restart"
            : $"({string.Join("; ", reasons.Distinct().Select(Because))})";
        return $"The job was interrupted {times} {why}, so it was not started again. Start it again when the server is stable.";
    }

    private static string Because(RequeueReason reason) => reason switch
    {
        RequeueReason.Restart => "the server restarted while it ran",
        RequeueReason.LeaseLost => "its worker lost contact with the database or stopped",
        _ => "the server was stopped",
    };
}
