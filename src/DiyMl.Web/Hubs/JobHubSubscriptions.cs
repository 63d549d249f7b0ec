using DiyMl.Domain.Jobs;
using DiyMl.Web.Endpoints;
using Microsoft.AspNetCore.SignalR;

namespace DiyMl.Web.Hubs;

/// <summary>
/// Bridges the notifier to hub groups: while at least one connection follows a job, one
/// notifier subscription forwards its events to the job's group, in order.
/// </summary>
public sealed class JobHubSubscriptions(IJobNotifier notifier, IHubContext<JobsHub> hub, ILogger<JobHubSubscriptions> logger)
{
    private readonly IJobNotifier _notifier = notifier;
    private readonly IHubContext<JobsHub> _hub = hub;
    private readonly ILogger _logger = logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Forwarder> _byJob = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byConnection = new(StringComparer.Ordinal);

    public static string GroupOf(string jobId) => "job:" + jobId;

    public void Add(string connectionId, string jobId)
    {
        lock (_gate)
        {
            if (!_byConnection.TryGetValue(connectionId, out var jobs))
            {
                _byConnection[connectionId] = jobs = new HashSet<string>(StringComparer.Ordinal);
            }

            if (!jobs.Add(jobId))
            {
                return;
            }

            if (!_byJob.TryGetValue(jobId, out var forwarder))
            {
                _byJob[jobId] = forwarder = new Forwarder(this, jobId);
            }

            forwarder.Connections++;
        }
    }

    public bool Remove(string connectionId, string jobId)
    {
        lock (_gate)
        {
            return _byConnection.TryGetValue(connectionId, out var jobs) && jobs.Remove(jobId) && Release(jobId);
        }
    }

    public void RemoveConnection(string connectionId)
    {
        lock (_gate)
        {
            if (_byConnection.Remove(connectionId, out var jobs))
            {
                foreach (var jobId in jobs)
                {
                    Release(jobId);
                }
            }
        }
    }

    private bool Release(string jobId)
    {
        if (_byJob.TryGetValue(jobId, out var forwarder) && --forwarder.Connections == 0)
        {
            forwarder.Dispose();
            _byJob.Remove(jobId);
        }

        return true;
    }

    private sealed class Forwarder : IDisposable
    {
        private readonly JobHubSubscriptions _owner;
        private readonly string _group;
        private readonly IDisposable _subscription;
        private readonly Lock _gate = new();
        private Task _tail = Task.CompletedTask;

        public Forwarder(JobHubSubscriptions owner, string jobId)
        {
            _owner = owner;
            _group = GroupOf(jobId);
            _subscription = owner._notifier.SubscribeJob(jobId, Forward);
        }

        public int Connections { get; set; }

        public void Dispose() => _subscription.Dispose();

        // Sends are chained so a group receives a job's events in the order they were published.
        private void Forward(JobSnapshot update)
        {
            var dto = JobDto.From(update);
            lock (_gate)
            {
                _tail = _tail.ContinueWith(_ => SendAsync(dto), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            }
        }

        private async Task SendAsync(JobDto dto)
        {
            try
            {
                await _owner._hub.Clients.Group(_group).SendAsync(JobsHub.ProgressEvent, dto);
            }
            catch (Exception ex)
            {
                _owner._logger.LogWarning(ex, "Could not send progress of job {JobId} to its hub group", dto.Id);
            }
        }
    }
}
