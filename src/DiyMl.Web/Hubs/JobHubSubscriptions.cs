using DiyMl.Domain.Jobs;
using DiyMl.Web.Endpoints;
using Microsoft.AspNetCore.SignalR;

namespace DiyMl.Web.Hubs;

/// <summary>
/// Follows jobs for hub connections: each (connection, job) pair reads the same stream as the
/// pages and SSE (<see cref="JobWatch"/>) and sends every state after the first to that
/// connection, in order, until the job finishes or the connection leaves.
/// </summary>
public sealed class JobHubSubscriptions(JobService jobs, IJobNotifier notifier, IHubContext<JobsHub> hub, ILogger<JobHubSubscriptions> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Connection, string Job), CancellationTokenSource> _following = [];

    /// <summary>Starts following; returns the job's current state (the stream's first item). Not yours: <see cref="Domain.Common.NotFoundException"/>.</summary>
    public async Task<JobSnapshot> AddAsync(string connectionId, string ownerId, string jobId, CancellationToken ct)
    {
        var follow = new CancellationTokenSource();
        var stream = jobs.WatchAsync(notifier, ownerId, jobId, follow.Token).GetAsyncEnumerator(follow.Token);
        try
        {
            using var aborted = ct.Register(follow.Cancel);
            await stream.MoveNextAsync();
        }
        catch
        {
            await stream.DisposeAsync();
            follow.Dispose();
            throw;
        }

        var current = stream.Current;
        lock (_gate)
        {
            if (_following.Remove((connectionId, current.Id), out var previous))
            {
                previous.Cancel();
            }

            _following[(connectionId, current.Id)] = follow;
        }

        _ = Task.Run(() => ForwardAsync(connectionId, current.Id, stream, follow), CancellationToken.None);
        return current;
    }

    public bool Remove(string connectionId, string jobId)
    {
        lock (_gate)
        {
            if (!_following.Remove((connectionId, jobId), out var follow))
            {
                return false;
            }

            follow.Cancel();
            return true;
        }
    }

    public void RemoveConnection(string connectionId)
    {
        lock (_gate)
        {
            foreach (var key in _following.Keys.Where(k => k.Connection == connectionId).ToList())
            {
                _following.Remove(key, out var follow);
                follow!.Cancel();
            }
        }
    }

    private async Task ForwardAsync(string connectionId, string jobId, IAsyncEnumerator<JobSnapshot> stream, CancellationTokenSource follow)
    {
        try
        {
            while (await stream.MoveNextAsync())
            {
                await hub.Clients.Client(connectionId).SendAsync(JobsHub.ProgressEvent, JobDto.From(stream.Current), follow.Token);
            }
        }
        catch (OperationCanceledException) when (follow.IsCancellationRequested)
        {
            // Unsubscribed or disconnected.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Following job {JobId} for a hub connection failed", jobId);
        }
        finally
        {
            lock (_gate)
            {
                if (_following.TryGetValue((connectionId, jobId), out var mine) && ReferenceEquals(mine, follow))
                {
                    _following.Remove((connectionId, jobId));
                }
            }

            await stream.DisposeAsync();
            follow.Dispose();
        }
    }
}
