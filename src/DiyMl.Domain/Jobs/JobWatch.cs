using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace DiyMl.Domain.Jobs;

/// <summary>
/// One job's state as a stream: the current state first, then every change, in order, ending
/// after the final status. Events that do not <see cref="JobSnapshot.Supersedes"/> what was already delivered are
/// dropped, so mixing the stored state with live events never moves progress backwards. Blazor
/// pages, SSE and the SignalR hub all read this stream.
/// </summary>
public static class JobWatch
{
    /// <summary>How long a quiet stream waits before it re-reads the stored job (a missed event costs at most this).</summary>
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(10);

    public static async IAsyncEnumerable<JobSnapshot> WatchAsync(
        this JobService jobs,
        IJobNotifier notifier,
        string ownerId,
        string jobId,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var updates = Channel.CreateUnbounded<JobSnapshot>(new UnboundedChannelOptions { SingleReader = true });

        // Subscribe before reading the stored state, so nothing falls between the two.
        using var subscription = notifier.SubscribeJob(jobId, update => updates.Writer.TryWrite(update));
        var last = JobSnapshot.From(await jobs.GetAsync(ownerId, jobId, ct));
        yield return last;

        while (!last.IsFinished)
        {
            var next = await NextAsync(updates.Reader, ct)
                ?? JobSnapshot.From(await jobs.GetAsync(ownerId, jobId, ct));
            if (!next.Supersedes(last) || (next.SameMoment(last) && next.Progress.Stage == last.Progress.Stage && next.Progress.Done == last.Progress.Done))
            {
                continue;
            }

            last = next;
            yield return next;
        }
    }

    private static async Task<JobSnapshot?> NextAsync(ChannelReader<JobSnapshot> reader, CancellationToken ct)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
        quiet.CancelAfter(RefreshAfter);
        try
        {
            return await reader.ReadAsync(quiet.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
