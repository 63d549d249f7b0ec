using DiyMl.Domain.Predictions;
using DiyMl.Infrastructure.Predictions;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiyMl.Infrastructure.Tests.Predictions;

public sealed class PredictionRecorderTests : IDisposable
{
    private readonly TempLiteDb _db = new();

    [Fact]
    public async Task After_a_flush_every_prediction_enqueued_before_it_is_in_the_rollups()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new PredictionStore(_db.Engine);
        var recorder = new PredictionRecorder(store, NullLogger<PredictionRecorder>.Instance);
        await recorder.StartAsync(ct);
        var now = DateTime.UtcNow;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                await recorder.EnqueueAsync([new PredictionRecord { OwnerId = "alice", ModelId = "aaaaaaaaaaaaaaaaaaaaaaaa", At = now, Label = "cat", Confidence = 0.9, LatencyMs = 5 }], ct);
            }
        }, ct)));
        await recorder.FlushAsync(ct);

        var rollups = await store.RollupsAsync("alice", null, now.Date, ct);
        Assert.Equal(1000, rollups.Sum(r => r.Count));
        await recorder.StopAsync(ct);
    }

    [Fact]
    public async Task Stopping_stores_what_was_still_queued()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new PredictionStore(_db.Engine);
        var recorder = new PredictionRecorder(store, NullLogger<PredictionRecorder>.Instance);
        await recorder.StartAsync(ct);
        var now = DateTime.UtcNow;

        for (var i = 0; i < 50; i++)
        {
            await recorder.EnqueueAsync([new PredictionRecord { OwnerId = "alice", ModelId = "aaaaaaaaaaaaaaaaaaaaaaaa", At = now, Label = "cat" }], ct);
        }

        await recorder.StopAsync(ct);

        Assert.Equal(50, (await store.RollupsAsync("alice", null, now.Date, ct)).Sum(r => r.Count));
    }

    public void Dispose() => _db.Dispose();
}
