namespace DiyMl.Domain.Jobs;

/// <summary>
/// In-process publish/subscribe of job state. Pages, the SignalR hub and the SSE endpoint all
/// listen here. Handlers run on the publisher's thread: keep them short (marshal to a
/// component's dispatcher or write to a channel).
/// </summary>
public interface IJobNotifier
{
    void Publish(JobSnapshot update);

    IDisposable SubscribeJob(string jobId, Action<JobSnapshot> onUpdate);

    IDisposable SubscribeOwner(string ownerId, Action<JobSnapshot> onUpdate);

    /// <summary>Jobs someone here listens to; jobs running on another instance are relayed for these.</summary>
    IReadOnlyCollection<string> SubscribedJobIds { get; }

    IReadOnlyCollection<string> SubscribedOwnerIds { get; }

    /// <summary>
    /// The latest state published for a job (by <see cref="JobSnapshot.Supersedes"/>), if still
    /// remembered: memory is bounded, so a finished job's entry is dropped after a while.
    /// </summary>
    JobSnapshot? LastPublished(string jobId);
}
