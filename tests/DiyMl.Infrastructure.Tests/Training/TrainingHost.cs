using DiyMl.Domain;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure;
using DiyMl.Infrastructure.Tests.Ml;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkiaSharp;

namespace DiyMl.Infrastructure.Tests.Training;

/// <summary>
/// The whole back end as the portal composes it (domain services, LiteDB, blobs, ML, one job
/// worker) in a temporary data directory, without the web layer.
/// </summary>
public sealed class TrainingHost : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "diyml-training-" + Guid.NewGuid().ToString("N"));
    private IHost? _host;

    public IServiceProvider Services => _host!.Services;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _dataDirectory,
            ["Jobs:Workers"] = "1",
        });
        builder.Services.AddDomain().AddInfrastructure(builder.Configuration);
        _host = builder.Build();
        await _host.StartAsync();
    }

    /// <summary>A dataset of generated shapes: <paramref name="perClass"/> pictures of each class.</summary>
    public async Task<string> CreateShapesDatasetAsync(string userId, string[] classes, int perClass, int seed = 1)
    {
        var dataset = await Get<DatasetService>().CreateAsync(userId, "Shapes " + seed, null);
        var random = new Random(seed);
        foreach (var shape in classes)
        {
            var files = Enumerable.Range(0, perClass)
                .Select(i => ($"{shape}-{i}.png", (Stream)new MemoryStream(Shapes.Draw(shape, random))))
                .ToList();
            await Get<ImageIngestService>().IngestAsync(userId, dataset.Id, files, shape);
        }

        return dataset.Id;
    }

    /// <summary>Adds the same picture several times, re-encoded so each copy has its own SHA-256.</summary>
    public async Task AddNearCopiesAsync(string userId, string datasetId, string label, int copies)
    {
        var original = Shapes.Draw(label, new Random(99), 160, 160);
        using var bitmap = SKBitmap.Decode(original);
        var files = Enumerable.Range(0, copies).Select(i =>
        {
            using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 60 + (i * 5));
            return ($"copy-{i}.jpg", (Stream)new MemoryStream(data.ToArray()));
        }).ToList();
        await Get<ImageIngestService>().IngestAsync(userId, datasetId, files, label);
    }

    /// <summary>Waits for the job's final state through the notifier (no polling loop, no sleeps).</summary>
    public async Task<Job> WaitForFinishAsync(string userId, string jobId)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (Get<IJobNotifier>().SubscribeJob(jobId, snapshot =>
        {
            if (snapshot.IsFinished)
            {
                finished.TrySetResult();
            }
        }))
        {
            var jobs = Get<JobService>();
            if (!(await jobs.GetAsync(userId, jobId)).IsFinished)
            {
                // A guard against a hang, not a performance assertion.
                await finished.Task.WaitAsync(TimeSpan.FromMinutes(5));
            }

            return await jobs.GetAsync(userId, jobId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // temp directory; harmless if left
        }
    }
}
