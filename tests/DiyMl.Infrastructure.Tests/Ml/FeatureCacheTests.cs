using DiyMl.Infrastructure.Ml;

namespace DiyMl.Infrastructure.Tests.Ml;

public sealed class FeatureCacheTests : IDisposable
{
    private const string Space = "space-a";
    private readonly TempLiteDb _db = new();

    [Fact]
    public async Task A_batch_caches_every_entry_even_when_another_job_cached_one_of_them_first()
    {
        var ct = TestContext.Current.CancellationToken;
        var cache = new FeatureCache(_db.Engine);
        await cache.PutAsync("sha-1", Space, false, [1f, 2f], ct);

        // sha-1 again (another job's), sha-2 twice in one batch (a picture uploaded twice), sha-3 both ways round.
        await cache.PutManyAsync([("sha-1", false, [9f, 9f]), ("sha-2", false, [3f, 4f]), ("sha-2", false, [3f, 4f]), ("sha-3", false, [5f, 6f]), ("sha-3", true, [6f, 5f])], Space, ct);

        Assert.Equal(new float[] { 1f, 2f }, await cache.GetAsync("sha-1", Space, false, ct)); // the first entry stays
        Assert.Equal(new float[] { 3f, 4f }, await cache.GetAsync("sha-2", Space, false, ct));
        Assert.Equal(new float[] { 5f, 6f }, await cache.GetAsync("sha-3", Space, false, ct));
        Assert.Equal(new float[] { 6f, 5f }, await cache.GetAsync("sha-3", Space, true, ct));
        Assert.Null(await cache.GetAsync("sha-3", "space-b", false, ct));
    }

    public void Dispose() => _db.Dispose();
}
