using System.Collections.Concurrent;
using DiyMl.Domain.Jobs;
using Microsoft.Extensions.Logging;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// The singleton every live view listens to. A listener that throws is logged and skipped so it
/// can never break a job or the other listeners.
/// </summary>
internal sealed class InMemoryJobNotifier(ILogger<InMemoryJobNotifier> logger) : IJobNotifier
{
    private readonly Subscribers _byJob = new();
    private readonly Subscribers _byOwner = new();
    private readonly ConcurrentDictionary<string, DateTime> _lastPublished = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> SubscribedJobIds => _byJob.Keys;

    public IReadOnlyCollection<string> SubscribedOwnerIds => _byOwner.Keys;

    public DateTime? LastPublished(string jobId) => _lastPublished.TryGetValue(jobId, out var at) ? at : null;

    public void Publish(JobSnapshot update)
    {
        _lastPublished.AddOrUpdate(update.Id, update.UpdatedAt, (_, old) => old > update.UpdatedAt ? old : update.UpdatedAt);
        foreach (var handler in _byJob.For(update.Id).Concat(_byOwner.For(update.OwnerId)))
        {
            try
            {
                handler(update);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A listener of job {JobId} failed", update.Id);
            }
        }
    }

    public IDisposable SubscribeJob(string jobId, Action<JobSnapshot> onUpdate) => _byJob.Add(jobId, onUpdate);

    public IDisposable SubscribeOwner(string ownerId, Action<JobSnapshot> onUpdate) => _byOwner.Add(ownerId, onUpdate);

    private sealed class Subscribers
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, List<Action<JobSnapshot>>> _handlers = new(StringComparer.Ordinal);

        public IReadOnlyCollection<string> Keys
        {
            get
            {
                lock (_gate)
                {
                    return [.. _handlers.Keys];
                }
            }
        }

        public Action<JobSnapshot>[] For(string key)
        {
            lock (_gate)
            {
                return _handlers.TryGetValue(key, out var list) ? [.. list] : [];
            }
        }

        public Subscription Add(string key, Action<JobSnapshot> handler)
        {
            lock (_gate)
            {
                if (!_handlers.TryGetValue(key, out var list))
                {
                    _handlers[key] = list = [];
                }

                list.Add(handler);
            }

            return new Subscription(() => Remove(key, handler));
        }

        private void Remove(string key, Action<JobSnapshot> handler)
        {
            lock (_gate)
            {
                if (_handlers.TryGetValue(key, out var list) && list.Remove(handler) && list.Count == 0)
                {
                    _handlers.Remove(key);
                }
            }
        }
    }

    internal sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
