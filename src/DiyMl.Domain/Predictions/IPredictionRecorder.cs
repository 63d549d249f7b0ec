namespace DiyMl.Domain.Predictions;

/// <summary>
/// Takes predictions off the request path: answering an image does not wait for the storage
/// writes, which are batched (many predictions, one rollup update per model, day and channel).
/// </summary>
public interface IPredictionRecorder
{
    ValueTask EnqueueAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct = default);

    /// <summary>Completes once everything enqueued before the call is stored; a report calls it first so it counts every answer already given.</summary>
    Task FlushAsync(CancellationToken ct = default);
}
