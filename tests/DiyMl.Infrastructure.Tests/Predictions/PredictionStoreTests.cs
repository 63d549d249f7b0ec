using DiyMl.Domain.Predictions;
using DiyMl.Domain.Reports;
using DiyMl.Infrastructure.Predictions;

namespace DiyMl.Infrastructure.Tests.Predictions;

public sealed class PredictionStoreTests : IDisposable
{
    private const string Model = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static readonly DateTime Today = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempLiteDb _db = new();
    private readonly PredictionStore _store;

    public PredictionStoreTests() => _store = new PredictionStore(_db.Engine);

    [Fact]
    public async Task The_hour_of_each_prediction_is_stored_so_a_report_can_count_the_viewers_days()
    {
        var late = Today.Date.AddHours(23).AddMinutes(10);
        await _store.RecordAsync([Record("cat", Today.Date.AddHours(3)), Record("dog", late), Record("cat", late)], TestContext.Current.CancellationToken);

        var rollups = await _store.RollupsAsync("alice", Model, Today.Date, TestContext.Current.CancellationToken);
        var hours = rollups.Single().Hours;
        Assert.Equal(1, hours[3]);
        Assert.Equal(2, hours[23]);

        // 23:10 UTC is already the next day in Tokyo.
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var report = UsageReport.Compute(rollups, DateOnly.FromDateTime(Today), DateOnly.FromDateTime(Today), tokyo, late.AddMinutes(5));
        Assert.Equal([1L, 2L], report.PerDay.Select(d => d.Count));
    }

    [Fact]
    public async Task Recorded_predictions_come_back_in_the_days_rollups()
    {
        await _store.RecordAsync([Record("cat", Today), Record("dog", Today), Record("cat", Today.AddDays(-1))], TestContext.Current.CancellationToken);

        var rollups = await _store.RollupsAsync("alice", Model, Today.Date.AddDays(-7), TestContext.Current.CancellationToken);
        var report = UsageReport.Compute(rollups, DateOnly.FromDateTime(Today.AddDays(-1)), DateOnly.FromDateTime(Today));

        Assert.Equal(3, report.Total);
        Assert.Equal([1, 2], report.PerDay.Select(d => d.Count));
        Assert.Equal(2, report.Classes.Single(c => c.Label == "cat").Count);
        Assert.Equal(3, (await _store.RecentAsync("alice", Model, 10, TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task Rollups_stay_exact_while_predictions_are_recorded_and_reports_read_at_the_same_time()
    {
        const int writers = 4;
        const int perWriter = 60;
        var ct = TestContext.Current.CancellationToken;
        using var done = new CancellationTokenSource();
        var inconsistent = 0;
        var reads = 0;

        var reader = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var report = UsageReport.Compute(
                    await _store.RollupsAsync("alice", Model, Today.Date, ct), DateOnly.FromDateTime(Today), DateOnly.FromDateTime(Today));

                // A prediction is in a rollup entirely or not at all: the parts always add up.
                if (report.Classes.Sum(c => c.Count) != report.Total || report.Confidence.Sum(b => b.Count) != report.Total ||
                    report.ByChannel.Sum(c => c.Count) != report.Total)
                {
                    Interlocked.Increment(ref inconsistent);
                }

                Interlocked.Increment(ref reads);
            }
        }, ct);

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var channel = (PredictionChannel)(i % 3);
                await _store.RecordAsync([Record(i % 2 == 0 ? "cat" : "dog", Today, channel)], ct);
            }
        }, ct)));
        await done.CancelAsync();
        await reader;

        var final = UsageReport.Compute(await _store.RollupsAsync("alice", Model, Today.Date, ct), DateOnly.FromDateTime(Today), DateOnly.FromDateTime(Today));
        Assert.Equal(writers * perWriter, final.Total);
        Assert.Equal(writers * perWriter / 2, final.Classes.Single(c => c.Label == "cat").Count);
        Assert.Equal(0, inconsistent);
        Assert.True(reads > 0);
    }

    [Fact]
    public async Task Another_owner_sees_no_rollups_of_the_model()
    {
        await _store.RecordAsync([Record("cat", Today)], TestContext.Current.CancellationToken);

        Assert.Empty(await _store.RollupsAsync("bob", Model, Today.Date.AddDays(-30), TestContext.Current.CancellationToken));
        Assert.Empty(await _store.RollupsAsync("bob", null, Today.Date.AddDays(-30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Deleting_a_model_removes_its_records_and_rollups()
    {
        await _store.RecordAsync([Record("cat", Today)], TestContext.Current.CancellationToken);

        await _store.DeleteForModelAsync(Model, TestContext.Current.CancellationToken);

        Assert.Empty(await _store.RollupsAsync("alice", Model, Today.Date.AddDays(-30), TestContext.Current.CancellationToken));
        Assert.Empty(await _store.RecentAsync("alice", Model, 10, TestContext.Current.CancellationToken));
    }

    public void Dispose() => _db.Dispose();

    private static PredictionRecord Record(string label, DateTime at, PredictionChannel channel = PredictionChannel.Browser) => new()
    {
        OwnerId = "alice",
        ModelId = Model,
        At = at,
        CallerId = "alice",
        Channel = channel,
        LatencyMs = 15,
        Label = label,
        Confidence = 0.8,
    };
}
