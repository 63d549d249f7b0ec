using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Quotas;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Cleanup;
using DiyMl.Infrastructure.Datasets;
using DiyMl.Infrastructure.Imaging;
using DiyMl.Infrastructure.Quotas;
using DiyMl.Infrastructure.Storage;
using DiyMl.Infrastructure.Storage.LiteDb;
using DiyMl.Infrastructure.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Tests.Datasets;

/// <summary>
/// The real dataset services, operation log and blob sweeper over LiteDB and file blobs (or
/// another engine given by <c>storage</c>) with SkiaSharp, a hand-moved clock and a temporary
/// data directory.
/// </summary>
public sealed class DatasetHarness : IDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(60);
    private readonly ServiceProvider _services;

    public DatasetHarness(Action<DatasetOptions>? configure = null, Func<ManualClock, string, (IStorageEngine Engine, IBlobStore Blobs)>? storage = null, ManualClock? clock = null)
    {
        Directory.CreateDirectory(DataDirectory);
        Clock = clock ?? new ManualClock();
        var options = new DatasetOptions { TempDirectory = Path.Combine(DataDirectory, "tmp") };
        configure?.Invoke(options);
        var (engine, blobs) = storage?.Invoke(Clock, DataDirectory) ?? (new LiteDbEngine(DataDirectory), new FileBlobStore(DataDirectory, Clock));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(options);
        services.AddSingleton(engine);
        services.AddSingleton(blobs);
        services.AddSingleton((ISweepableBlobStore)blobs);
        services.AddSingleton<IDatasetStore, DatasetStore>();
        services.AddSingleton<ImageStore>();
        services.AddSingleton<IImageStore>(sp => sp.GetRequiredService<ImageStore>());
        services.AddSingleton<IBlobReferenceSource>(sp => sp.GetRequiredService<ImageStore>());
        services.AddSingleton<IOperationStore, OperationStore>();
        services.AddSingleton<IImageInspector, SkiaImageInspector>();
        services.AddSingleton(Options.Create(new BlobSweepOptions { BlobGraceMinutes = Grace.TotalMinutes }));
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<BlobSweeper>();
        services.AddDatasets();
        services.AddSingleton<DiyMl.Domain.Jobs.IJobStore, DiyMl.Infrastructure.Jobs.JobStore>(); // quota holds last while their job exists
        services.AddQuotaStores();
        services.AddQuotas();
        _services = services.BuildServiceProvider();
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "diyml-ds-" + Guid.NewGuid().ToString("N"));

    public ManualClock Clock { get; }

    public DatasetService Datasets => _services.GetRequiredService<DatasetService>();

    public ClassService Classes => _services.GetRequiredService<ClassService>();

    public GalleryService Gallery => _services.GetRequiredService<GalleryService>();

    public ImageIngestService Ingest => _services.GetRequiredService<ImageIngestService>();

    public DatasetAnalysisService Analysis => _services.GetRequiredService<DatasetAnalysisService>();

    public IImageStore Images => _services.GetRequiredService<IImageStore>();

    public IBlobStore Blobs => _services.GetRequiredService<IBlobStore>();

    public BlobSweeper Sweeper => _services.GetRequiredService<BlobSweeper>();

    public OperationLog Operations => _services.GetRequiredService<OperationLog>();

    public IStorageEngine Engine => _services.GetRequiredService<IStorageEngine>();

    public int BlobCount => Directory.EnumerateFiles(Path.Combine(DataDirectory, "blobs"), "*", SearchOption.AllDirectories)
        .Count(f => !Path.GetRelativePath(DataDirectory, f).StartsWith(Path.Combine("blobs", "tmp"), StringComparison.Ordinal));

    /// <summary>Moves the clock past the grace period and sweeps, as the hosted service would an hour later.</summary>
    public Task<BlobSweepReport> SweepAfterGraceAsync()
    {
        Clock.Advance(Grace + TimeSpan.FromMinutes(1));
        return Sweeper.SweepAsync(CancellationToken.None);
    }

    public async Task<string> NewDatasetAsync(string user = "user-a", string name = "Pets") =>
        (await Datasets.CreateAsync(user, name, null)).Id;

    public Task<IngestReport> UploadAsync(string datasetId, string? label, params (string Name, byte[] Content)[] files) =>
        UploadAsAsync("user-a", datasetId, label, files);

    public Task<IngestReport> UploadAsAsync(string user, string datasetId, string? label, params (string Name, byte[] Content)[] files) =>
        Ingest.IngestAsync(user, datasetId, files.Select(f => (f.Name, (Stream)new MemoryStream(f.Content))).ToList(), label);

    public void Dispose()
    {
        _services.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
