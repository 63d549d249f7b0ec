using System.Collections.Concurrent;
using DiyMl.Domain.Jobs;
using Microsoft.Extensions.Logging;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// The singleton every live view listens to. A listener that throws is logged and skipped so it
/// can never break a job or the other listeners. It remembers each job's latest state (for the
/// relay), but not forever: finished jobs are forgotten <see cref="FinishedKeep"/> after they
/// ended, and at most <see cref="Capacity"/> jobs are remembered (the least recently published go first).
/// </summary>
internal sealed class InMemoryJobNotifier(ILogger<InMemoryJobNotifier> logger, TimeProvider time) : IJobNotifier
{
    internal const int Capacity = 10_000;

    internal static readonly TimeSpan FinishedKeep = TimeSpan.FromMinutes(5);

    private const int PruneEvery = 256;

    private readonly Subscribers _byJob = new();
    private readonly Subscribers _byOwner = new();
    private readonly ConcurrentDictionary<string, Remembered> _lastPublished = new(StringComparer.Ordinal);
    private int _publishes;

    public IReadOnlyCollection<string> SubscribedJobIds => _byJob.Keys;

    public IReadOnlyCollection<string> SubscribedOwnerIds => _byOwner.Keys;

    internal int RememberedCount => _lastPublished.Count;

    public JobSnapshot? LastPublished(string jobId) => _lastPublished.TryGetValue(jobId, out var seen) ? seen.Snapshot : null;

    public void Publish(JobSnapshot update)
    {
        var now = time.GetTimestamp();
        _lastPublished.AddOrUpdate(
            update.Id,
            _ => new Remembered(update, now),
            (_, old) => update.Supersedes(old.Snapshot) ? new Remembered(update, now) : old);
        if (Interlocked.Increment(ref _publishes) % PruneEvery == 0 || _lastPublished.Count > Capacity)
        {
            Prune();
        }

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

    private void Prune()
    {
        foreach (var (id, seen) in _lastPublished)
        {
            if (seen.Snapshot.IsFinished && time.GetElapsedTime(seen.At) > FinishedKeep)
            {
                _lastPublished.TryRemove(new KeyValuePair<string, Remembered>(id, seen));
            }
        }

        var over = _lastPublished.Count - Capacity;
        if (over > 0)
        {
            // Finished first, then the longest quiet: a running job's entry only saves the relay one re-send.
            foreach (var (id, seen) in _lastPublished.OrderBy(e => !e.Value.Snapshot.IsFinished).ThenBy(e => e.Value.At).Take(over + (Capacity / 10)).ToList())
            {
                _lastPublished.TryRemove(new KeyValuePair<string, Remembered>(id, seen));
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

    private sealed record Remembered(JobSnapshot Snapshot, long At);

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
