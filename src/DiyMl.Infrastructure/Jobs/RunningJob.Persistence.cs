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

    /// <summary>
    /// Writes the final state by compare-and-set; false when the job was taken over meanwhile.
    /// Tried even after the lease ran out here: if nobody re-queued the job, the version still
    /// matches and the finished work counts; if someone did, the write loses and changes nothing.
    /// </summary>
    public async Task<bool> FinishAsync(Action<Job, DateTime> finish)
    {
        lock (_gate)
        {
            _tracker.Finish();
        }

        var saved = await SaveAsync(finish, final: true);
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
    private async Task<bool> SaveAsync(Action<Job, DateTime>? change = null, bool final = false)
    {
        if (_leaseLost && !final)
        {
            return false;
        }

        await _write.WaitAsync(CancellationToken.None);
        try
        {
            for (var attempt = 0; attempt < CasAttempts; attempt++)
            {
                // The new expiry is taken before the write is sent: however long the store takes,
                // this worker never counts on more time than the document grants.
                var now = Now;
                var expires = now.AddSeconds(_options.LeaseSeconds);
                Job doc;
                lock (_gate)
                {
                    doc = _doc.Copy();
                    doc.Advance(_tracker.Progress, _doc.UpdatedAt);
                    _dirty = false;
                }

                doc.Renew(Holder, expires);
                change?.Invoke(doc, now);

                // A progress save gives up with the job's token (the lease ran out); the final one must not.
                if (await _store.TryReplaceAsync(doc, final ? CancellationToken.None : Token))
                {
                    lock (_gate)
                    {
                        _doc = doc;
                    }

                    Volatile.Write(ref _lastSaveTicks, _time.GetTimestamp());
                    if (!final && !_leaseLost)
                    {
                        _leaseDeadline.Change(UntilDeadline(expires), Timeout.InfiniteTimeSpan);
                    }

                    return true;
                }

                // Someone else wrote: a cancel flag (fine, take it) or a takeover (stop).
                var stored = await _store.GetAsync(Id, CancellationToken.None);
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
        catch (OperationCanceledException) when (!final && Token.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            _write.Release();
        }
    }

    private bool IsLost(Job? stored) => stored is null || !stored.IsHeldBy(Holder);

    private void MarkLost()
    {
        if (!_leaseLost)
        {
            _logger.LogWarning("Job {JobId} is no longer leased to this worker; stopping it here", Id);
        }

        _leaseLost = true;
        TripToken();
    }
}
