namespace DiyMl.Domain.Jobs;

/// <summary>
/// Announces a saved job to the workers. Announcing is a hint, not the record: a job that is
/// saved but never announced (full queue, crash, another instance) is found again by the sweep.
/// </summary>
public interface IJobQueue
{
    /// <summary>Never blocks; returns false when the announcement was dropped (the sweep will retry).</summary>
    bool Announce(string jobId);
}

/// <summary>Trips the cancellation token of a job running in this process, if it runs here.</summary>
public interface ILocalJobCancellation
{
    bool TryCancel(string jobId);
}
