namespace DiyMl.Domain.Jobs;

/// <summary>Why a started job went back to the queue.</summary>
public enum RequeueReason
{
    /// <summary>The server stopped gracefully; not held against the job.</summary>
    Shutdown,

    /// <summary>Found running after the server that ran it restarted (crash, kill, power loss).</summary>
    Restart,

    /// <summary>Its worker stopped renewing the lease (stalled database, frozen or dead process).</summary>
    LeaseLost,
}

/// <summary>One trip back to the queue: when, why, and which attempt it ended.</summary>
public sealed class JobRequeue
{
    public DateTime At { get; set; }

    public RequeueReason Reason { get; set; }

    public int Attempt { get; set; }

    /// <summary>The lease owner that lost it, for the log.</summary>
    public string? Worker { get; set; }
}
