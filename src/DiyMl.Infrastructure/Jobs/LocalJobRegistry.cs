using System.Collections.Concurrent;
using DiyMl.Domain.Jobs;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>The jobs this process is running right now, so a cancel issued here trips their token at once.</summary>
internal sealed class LocalJobRegistry : ILocalJobCancellation
{
    private readonly ConcurrentDictionary<string, RunningJob> _running = new(StringComparer.Ordinal);

    public bool TryCancel(string jobId)
    {
        if (!_running.TryGetValue(jobId, out var run))
        {
            return false;
        }

        run.RequestCancel();
        return true;
    }

    public bool IsRunningHere(string jobId) => _running.ContainsKey(jobId);

    public void Add(RunningJob run) => _running[run.Id] = run;

    public void Remove(RunningJob run) => _running.TryRemove(new KeyValuePair<string, RunningJob>(run.Id, run));
}
