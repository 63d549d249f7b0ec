using System.Threading.Channels;
using DiyMl.Domain.Predictions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DiyMl.Infrastructure.Predictions;

/// <summary>
/// One background writer drains a bounded queue in batches of up to <see cref="MaxBatch"/>
/// predictions. Under load a batch costs one insert of the records plus one compare-and-set per
/// rollup touched, instead of that per image. A flush is a marker in the same queue, so it
/// completes exactly when everything queued before it is stored. On shutdown the queue is drained.
/// </summary>
internal sealed class PredictionRecorder(IPredictionStore store, ILogger<PredictionRecorder> logger)
    : IHostedService, IPredictionRecorder
{
    private const int MaxBatch = 500;

    private readonly Channel<Item> _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public ValueTask EnqueueAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct = default) =>
        records.Count == 0 ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(new Item(records, null), ct);

    public async Task FlushAsync(CancellationToken ct = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Item([], done)))
        {
            await _queue.Writer.WriteAsync(new Item([], done), ct);
        }

        await done.Task.WaitAsync(ct);
    }

    private Task _loop = Task.CompletedTask;

    // Not a BackgroundService: its loop is started with the stopping token, and a stop that comes
    // right after the start would then cancel the loop before it drained anything.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(DrainAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(cancellationToken);
    }

    private async Task DrainAsync()
    {
        var batch = new List<PredictionRecord>();
        var waiting = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.AddRange(item.Records);
                if (item.Flushed is not null)
                {
                    waiting.Add(item.Flushed);
                }
            }

            await StoreAsync(batch);
            waiting.ForEach(w => w.TrySetResult());
            batch.Clear();
            waiting.Clear();
        }
    }

    private async Task StoreAsync(List<PredictionRecord> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await store.RecordAsync([.. batch], CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Losing usage figures must never stop predictions; say so loudly and go on.
            logger.LogError(ex, "Could not record {Count} predictions; they are missing from usage reports.", batch.Count);
        }
    }

    private sealed record Item(IReadOnlyList<PredictionRecord> Records, TaskCompletionSource? Flushed);
}
