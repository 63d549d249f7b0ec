using System.Threading.Channels;

namespace DiyMl.Domain.Jobs;

/// <summary>
/// An <see cref="IProgress{T}"/> for code that reports from its own thread (trainers): reports
/// are queued and handed to an async reporter one at a time, in order, so the reporting thread
/// never blocks on a progress save (no sync-over-async on a path that may write to MongoDB).
/// Call <see cref="CompleteAsync"/> when the work is done to deliver what is left.
/// </summary>
public sealed class ProgressPump<T> : IProgress<T>, IAsyncDisposable
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    public ProgressPump(Func<T, Task> report) => _pump = Task.Run(() => PumpAsync(report));

    public void Report(T value) => _queue.Writer.TryWrite(value);

    /// <summary>Waits until every report so far was delivered; throws if delivering one failed.</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await _pump;
    }

    /// <summary>Stops without throwing (used while another exception is already on its way).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _pump;
        }
        catch (Exception)
        {
            // The work failed or was cancelled anyway; a failed progress report adds nothing.
        }
    }

    private async Task PumpAsync(Func<T, Task> report)
    {
        await foreach (var value in _queue.Reader.ReadAllAsync())
        {
            await report(value);
        }
    }
}
