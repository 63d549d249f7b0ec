using DiyMl.Domain.Jobs;
using Microsoft.Extensions.Logging;

namespace DiyMl.Infrastructure.Jobs;

internal sealed partial class RunningJob
{
    private const int CasAttempts = 10;

    /// <summary>
    /// Reads the document every poll interval: a cancel flag set by any instance trips the token,
    /// a lost lease stops the job; renews the lease and saves pending progress on schedule.
    /// </summary>
    public async Task WatchAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.CancelPollSeconds), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await PollAsync(stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning(ex, "Could not check on job {JobId}; will retry", Id);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The handler finished; the runner writes the final state.
        }
    }

    /// <summary>Writes the final state; false when the job was lost to another instance meanwhile.</summary>
    public async Task<bool> FinishAsync(Action<Job> finish)
    {
        lock (_gate)
        {
            _tracker.Finish();
        }

        var saved = await SaveAsync(doc =>
        {
            finish(doc);
            doc.LeaseOwner = null;
            doc.LeaseExpiresAt = null;
            doc.UpdatedAt = Now;
        });
        if (saved)
        {
            _notifier.Publish(JobSnapshot.From(_doc));
        }

        return saved;
    }

    public (string? ModelId, string? ResultJson) Outputs => (_modelId, _resultJson);

    private async Task PollAsync(CancellationToken ct)
    {
        var stored = await _store.GetAsync(Id, ct);
        if (IsLost(stored))
        {
            MarkLost();
            return;
        }

        if (stored!.CancelRequested)
        {
            RequestCancel();
        }

        var sinceSave = _time.GetElapsedTime(Volatile.Read(ref _lastSaveTicks)).TotalSeconds;
        if (sinceSave >= _options.LeaseRenewSeconds || (_dirty && sinceSave >= _options.ProgressSaveSeconds))
        {
            await SaveAsync();
        }
    }

    /// <summary>Saves progress and renews the lease (plus <paramref name="change"/>), re-reading on conflict.</summary>
    private async Task<bool> SaveAsync(Action<Job>? change = null)
    {
        if (_leaseLost)
        {
            return false;
        }

        await _write.WaitAsync();
        try
        {
            for (var attempt = 0; attempt < CasAttempts; attempt++)
            {
                Job doc;
                lock (_gate)
                {
                    doc = _doc.Copy();
                    doc.Progress = _tracker.Progress.Copy();
                    _dirty = false;
                }

                doc.LeaseExpiresAt = Now.AddSeconds(_options.LeaseSeconds);
                change?.Invoke(doc);
                if (await _store.TryReplaceAsync(doc))
                {
                    lock (_gate)
                    {
                        _doc = doc;
                    }

                    Volatile.Write(ref _lastSaveTicks, _time.GetTimestamp());
                    return true;
                }

                // Someone else wrote: a cancel flag (fine, take it) or a takeover (stop).
                var stored = await _store.GetAsync(Id);
                if (IsLost(stored))
                {
                    MarkLost();
                    return false;
                }

                if (stored!.CancelRequested)
                {
                    RequestCancel();
                }

                lock (_gate)
                {
                    stored.UpdatedAt = _doc.UpdatedAt > stored.UpdatedAt ? _doc.UpdatedAt : stored.UpdatedAt;
                    _doc = stored;
                    _dirty = true;
                }
            }

            _logger.LogWarning("Job {JobId} could not be saved after {Attempts} attempts", Id, CasAttempts);
            return false;
        }
        finally
        {
            _write.Release();
        }
    }

    private bool IsLost(Job? stored) =>
        stored is null || stored.Status != JobStatus.Running || !string.Equals(stored.LeaseOwner, _instance.Id, StringComparison.Ordinal);

    private void MarkLost()
    {
        if (!_leaseLost)
        {
            _logger.LogWarning("Job {JobId} is no longer leased to this instance; stopping it here", Id);
        }

        _leaseLost = true;
        TripToken();
    }
}
