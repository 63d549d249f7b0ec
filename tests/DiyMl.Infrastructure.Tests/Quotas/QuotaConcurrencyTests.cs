using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Quotas;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Datasets;
using DiyMl.Infrastructure.Imaging;
using DiyMl.Infrastructure.Jobs;
using DiyMl.Infrastructure.Quotas;
using DiyMl.Infrastructure.Storage;
using DiyMl.Infrastructure.Storage.LiteDb;
using DiyMl.Infrastructure.Storage.Mongo;
using DiyMl.Infrastructure.Tests.Imaging;
using DiyMl.Infrastructure.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace DiyMl.Infrastructure.Tests.Quotas;

/// <summary>
/// Quota by reservation on each engine: concurrent uploads, each judged against the same usage
/// record by compare-and-set, never store more than the quota together.
/// </summary>
public abstract class QuotaConcurrencyTests : IAsyncLifetime
{
    private const long Quota = 300_000;
    private ServiceProvider? _services;

    protected TempDirectory Directory { get; } = new();

    protected abstract Task<IStorageEngine> OpenEngineAsync();

    protected abstract IBlobStore OpenBlobs(IStorageEngine engine);

    public async ValueTask InitializeAsync()
    {
        var engine = await OpenEngineAsync();
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new DatasetOptions { QuotaBytesPerUser = Quota, TempDirectory = Path.Combine(Directory.Path, "tmp") });
        services.AddSingleton(engine);
        services.AddSingleton(OpenBlobs(engine));
        services.AddSingleton<IDatasetStore, DatasetStore>();
        services.AddSingleton<IImageStore, ImageStore>();
        services.AddSingleton<IImageInspector, SkiaImageInspector>();
        services.AddSingleton<IJobStore, JobStore>();
        services.AddSingleton<DiyMl.Domain.Common.IOperationStore, DiyMl.Infrastructure.Datasets.OperationStore>();
        services.AddQuotaStores();
        services.AddDatasets();
        services.AddQuotas();
        _services = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await CloseAsync();
        Directory.Dispose();
        GC.SuppressFinalize(this);
    }

    protected virtual ValueTask CloseAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Six_concurrent_uploads_of_190_KB_store_at_most_a_300000_byte_quota()
    {
        var user = Ids.New();
        var datasets = _services!.GetRequiredService<DatasetService>();
        var ingest = _services!.GetRequiredService<ImageIngestService>();
        var dataset = await datasets.CreateAsync(user, "Quota", null);
        var files = Enumerable.Range(0, 6).Select(i => TestImages.Noise(230, 230 + i, SKEncodedImageFormat.Png)).ToList();
        Assert.All(files, f => Assert.InRange(f.Length, 180_000, 200_000));

        using var start = new SemaphoreSlim(0);
        var uploads = files.Select((file, i) => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await ingest.IngestAsync(user, dataset.Id, [($"noise-{i}.png", new MemoryStream(file))]);
        })).ToList();
        start.Release(uploads.Count);
        var reports = await Task.WhenAll(uploads);

        var stored = await _services!.GetRequiredService<IImageStore>().SumSizeByOwnerAsync(user);
        Assert.InRange(stored, 1, Quota);
        Assert.Equal(1, reports.Sum(r => r.Accepted));
        Assert.Equal(5, reports.Count(r => r.QuotaExceeded));
        var usage = await _services!.GetRequiredService<QuotaService>().UsedAsync(user);
        Assert.Equal(stored, usage); // every reservation was settled or released: nothing leaks
    }

    [Fact]
    public async Task A_prediction_jobs_uploads_count_against_the_quota_while_the_job_exists()
    {
        var user = Ids.New();
        var quota = _services!.GetRequiredService<QuotaService>();
        var job = new Job { OwnerId = user, Kind = JobKind.BatchPrediction };
        await _services!.GetRequiredService<IJobStore>().InsertAsync(job);

        var reservation = await quota.TryReserveAsync(user, 100_000);
        await quota.SettleAsHoldAsync(reservation!, job.Id);

        Assert.Equal(100_000, await quota.UsedAsync(user));
        Assert.Null(await quota.TryReserveAsync(user, 250_000));

        await _services!.GetRequiredService<IStorageEngine>().Collection<Job>("jobs").DeleteAsync(job.Id); // as retention removes it
        Assert.Equal(0, await quota.UsedAsync(user));
        Assert.NotNull(await quota.TryReserveAsync(user, 250_000));
    }
}

public sealed class LiteDbQuotaConcurrencyTests : QuotaConcurrencyTests
{
    protected override Task<IStorageEngine> OpenEngineAsync() => Task.FromResult<IStorageEngine>(new LiteDbEngine(Directory.Path));

    protected override IBlobStore OpenBlobs(IStorageEngine engine) => new FileBlobStore(Directory.Path);
}

public sealed class MongoQuotaConcurrencyTests(MongoTestServer server) : QuotaConcurrencyTests
{
    private MongoEngine? _engine;

    protected override async Task<IStorageEngine> OpenEngineAsync()
    {
        _engine = new MongoEngine(await server.GetUrlForDatabaseAsync("diyml_quota_" + Guid.NewGuid().ToString("N")[..12]), "unused", TimeSpan.FromSeconds(10));
        return _engine;
    }

    protected override IBlobStore OpenBlobs(IStorageEngine engine) => new GridFsBlobStore(_engine!.Database, Directory.Path);

    protected override async ValueTask CloseAsync()
    {
        if (_engine is not null)
        {
            await _engine.Database.Client.DropDatabaseAsync(_engine.Database.DatabaseNamespace.DatabaseName);
            _engine.Dispose();
        }
    }
}
