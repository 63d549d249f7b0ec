using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Quotas;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Datasets;
using DiyMl.Infrastructure.Imaging;
using DiyMl.Infrastructure.Quotas;
using DiyMl.Infrastructure.Storage;
using DiyMl.Infrastructure.Storage.LiteDb;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Infrastructure.Tests.Datasets;

/// <summary>The real dataset services over LiteDB, file blobs and SkiaSharp in a temporary data directory.</summary>
public sealed class DatasetHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public DatasetHarness(Action<DatasetOptions>? configure = null)
    {
        Directory.CreateDirectory(DataDirectory);
        var options = new DatasetOptions { TempDirectory = Path.Combine(DataDirectory, "tmp") };
        configure?.Invoke(options);
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<IStorageEngine>(_ => new LiteDbEngine(DataDirectory));
        services.AddSingleton<IBlobStore>(_ => new FileBlobStore(DataDirectory));
        services.AddSingleton<IDatasetStore, DatasetStore>();
        services.AddSingleton<IImageStore, ImageStore>();
        services.AddSingleton<IImageInspector, SkiaImageInspector>();
        services.AddDatasets();
        services.AddSingleton<DiyMl.Domain.Jobs.IJobStore, DiyMl.Infrastructure.Jobs.JobStore>(); // quota holds last while their job exists
        services.AddQuotaStores();
        services.AddQuotas();
        _services = services.BuildServiceProvider();
    }

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "diyml-ds-" + Guid.NewGuid().ToString("N"));

    public DatasetService Datasets => _services.GetRequiredService<DatasetService>();

    public ClassService Classes => _services.GetRequiredService<ClassService>();

    public GalleryService Gallery => _services.GetRequiredService<GalleryService>();

    public ImageIngestService Ingest => _services.GetRequiredService<ImageIngestService>();

    public DatasetAnalysisService Analysis => _services.GetRequiredService<DatasetAnalysisService>();

    public IBlobStore Blobs => _services.GetRequiredService<IBlobStore>();

    public int BlobCount => Directory.EnumerateFiles(Path.Combine(DataDirectory, "blobs"), "*", SearchOption.AllDirectories)
        .Count(f => !Path.GetRelativePath(DataDirectory, f).StartsWith(Path.Combine("blobs", "tmp"), StringComparison.Ordinal));

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
