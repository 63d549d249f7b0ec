using DiyMl.Domain.Jobs;
using Microsoft.Extensions.Logging;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// One claimed job while its handler runs: the handler's <see cref="IJobContext"/>, the
/// working copy of the document (written only by compare-and-set, re-read on conflict), the
/// lease and the cancellation token. Writes are serialized; progress events are published at once.
/// A lease deadline timer trips the token when the lease is about to run out without a
/// renewal (a stalled database), so this worker stops before anyone may re-queue the job.
/// </summary>
internal sealed partial class RunningJob : IJobContext, IDisposable
{
    private readonly IJobStore _store;
    private readonly IJobNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly JobOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly ProgressTracker _tracker;
    private readonly CancellationTokenSource _cancellation;
    private readonly ITimer _leaseDeadline;
    private Job _doc;
    private long _lastSaveTicks;
    private bool _dirty;
    private string? _modelId;
    private string? _resultJson;
    private volatile bool _cancelRequested;
    private volatile bool _leaseLost;

    public RunningJob(Job claimed, IJobStore store, IJobNotifier notifier, TimeProvider time, JobOptions options, ILogger logger, CancellationToken stopping)
    {
        _doc = claimed.Copy();
        Holder = claimed.LeaseOwner ?? throw new ArgumentException("A running job has a lease owner.", nameof(claimed));
        _store = store;
        _notifier = notifier;
        _time = time;
        _options = options;
        _logger = logger;
        _tracker = new ProgressTracker(time);
        _lastSaveTicks = time.GetTimestamp();
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _leaseDeadline = time.CreateTimer(_ => LeaseRanOut(), null, UntilDeadline(claimed.LeaseExpiresAt!.Value), Timeout.InfiniteTimeSpan);
    }

    public string Id => _doc.Id;

    /// <summary>This claim's lease owner: the instance id plus a per-claim suffix, so a restart with the same id is a new holder.</summary>
    public string Holder { get; }

    public CancellationToken Token => _cancellation.Token;

    public bool CancelRequested => _cancelRequested;

    /// <summary>The lease ran out or another instance took the job over: its work here must stop.</summary>
    public bool LeaseLost => _leaseLost;

    public Task ReportAsync(JobStage stage, int done = 0, int total = 0) => ReportCoreAsync(stage, done, total, null);

    public Task ReportAsync(JobStage stage, int done, int total, ProgressDetail detail) => ReportCoreAsync(stage, done, total, detail);

    private async Task ReportCoreAsync(JobStage stage, int done, int total, ProgressDetail? detail)
    {
        bool stageChanged;
        JobSnapshot snapshot;
        lock (_gate)
        {
            stageChanged = detail is null ? _tracker.Report(stage, done, total) : _tracker.Report(stage, done, total, detail);
            _doc.UpdatedAt = Now;
            _dirty = true;
            snapshot = SnapshotLocked();
        }

        _notifier.Publish(snapshot);
        if (stageChanged || _time.GetElapsedTime(Volatile.Read(ref _lastSaveTicks)).TotalSeconds >= _options.ProgressSaveSeconds)
        {
            await SaveAsync();
        }
    }

    public void SetModelId(string modelId) => _modelId = modelId;

    public void SetResult<TResult>(TResult result)
        where TResult : class => _resultJson = JobJson.Write(result);

    public void RequestCancel()
    {
        _cancelRequested = true;
        TripToken();
    }

    public JobSnapshot Snapshot()
    {
        lock (_gate)
        {
            return SnapshotLocked();
        }
    }

    public void Dispose()
    {
        _leaseDeadline.Dispose();
        _cancellation.Dispose();
        _write.Dispose();
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    // Stop a safety margin before the lease ends, so the handler is gone before anyone may re-queue.
    private TimeSpan UntilDeadline(DateTime leaseExpiresAt)
    {
        var margin = TimeSpan.FromSeconds(_options.LeaseSeconds * 0.2);
        var left = leaseExpiresAt - margin - Now;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private void LeaseRanOut()
    {
        if (_leaseLost)
        {
            return;
        }

        _logger.LogWarning("Job {JobId} could not renew its lease in time (is the database reachable?); stopping it here", Id);
        _leaseLost = true;
        TripToken();
    }

    private JobSnapshot SnapshotLocked() =>
        JobSnapshot.From(_doc) with { Progress = ProgressSnapshot.From(_tracker.Progress), CancelRequested = _doc.CancelRequested || _cancelRequested };

    private void TripToken()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The job already ended; nothing left to stop.
        }
        catch (AggregateException ex)
        {
            _logger.LogWarning(ex, "A cancellation callback of job {JobId} failed", Id);
        }
    }
}
