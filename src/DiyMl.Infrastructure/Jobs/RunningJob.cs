using DiyMl.Domain.Jobs;
using Microsoft.Extensions.Logging;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// One claimed job while its handler runs: the handler's <see cref="IJobContext"/>, the
/// working copy of the document (written only by compare-and-set, re-read on conflict), the
/// lease and the cancellation token. Writes are serialized; progress events are published at once.
/// </summary>
internal sealed partial class RunningJob : IJobContext, IDisposable
{
    private readonly IJobStore _store;
    private readonly IJobNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly JobOptions _options;
    private readonly JobInstance _instance;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly ProgressTracker _tracker;
    private readonly CancellationTokenSource _cancellation;
    private Job _doc;
    private long _lastSaveTicks;
    private bool _dirty;
    private string? _modelId;
    private string? _resultJson;
    private volatile bool _cancelRequested;
    private volatile bool _leaseLost;

    public RunningJob(Job claimed, IJobStore store, IJobNotifier notifier, TimeProvider time, JobOptions options, JobInstance instance, ILogger logger, CancellationToken stopping)
    {
        _doc = claimed.Copy();
        _store = store;
        _notifier = notifier;
        _time = time;
        _options = options;
        _instance = instance;
        _logger = logger;
        _tracker = new ProgressTracker(time);
        _lastSaveTicks = time.GetTimestamp();
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    public string Id => _doc.Id;

    public CancellationToken Token => _cancellation.Token;

    public bool CancelRequested => _cancelRequested;

    /// <summary>Another instance took the job over (our lease expired): we must not write it any more.</summary>
    public bool LeaseLost => _leaseLost;

    public async Task ReportAsync(string stage, int done = 0, int total = 0)
    {
        bool stageChanged;
        JobSnapshot snapshot;
        lock (_gate)
        {
            stageChanged = _tracker.Report(stage, done, total);
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

    public void SetResult(string resultJson) => _resultJson = resultJson;

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
        _cancellation.Dispose();
        _write.Dispose();
    }

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

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
