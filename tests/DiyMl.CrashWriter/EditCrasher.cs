using System.IO.Compression;
using DiyMl.Domain;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Models;
using DiyMl.Domain.Publishing;
using DiyMl.Domain.Testing;
using DiyMl.Infrastructure;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Storage;
using DiyMl.Infrastructure.Storage.LiteDb;
using DiyMl.Infrastructure.Cleanup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

/// <summary>
/// Usage: DiyMl.CrashWriter edit &lt;merge|dataset-delete|model-delete|upload&gt; &lt;data directory&gt; &lt;kill after write n, 0 never&gt;.
/// Starts the portal's services as a restart would (finishing interrupted edits first), seeds a
/// fresh dataset or model, prints "GO", runs one multi-step edit and prints "DONE" and how many
/// writes it made, unless it is killed (SIGKILL) after write n of the edit (see <see cref="KillPoints"/>).
/// </summary>
internal static class EditCrasher
{
    public const string User = "crash-user";
    public const int ImagesPerClass = 8;

    public static async Task<int> RunAsync(string scenario, string dataDirectory, int killAfter)
    {
        KillPoints.KillAfter = killAfter;
        using var services = Compose(dataDirectory);
        var startup = await services.GetRequiredService<Cleanup>().RunAsync(atStartup: true, CancellationToken.None);
        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        await stdout.WriteLineAsync($"RESUMED {startup.OperationsResumed}");
        Func<Task> edit = scenario switch
        {
            "merge" => await SeedMergeAsync(services),
            "dataset-delete" => await SeedDatasetDeleteAsync(services),
            "model-delete" => await SeedModelDeleteAsync(services),
            "upload" => await SeedUploadAsync(services),
            _ => throw new ArgumentException($"unknown scenario {scenario}"),
        };
        await stdout.WriteLineAsync("GO");
        KillPoints.Armed = true;
        await edit();
        KillPoints.Armed = false;
        await stdout.WriteLineAsync($"DONE {KillPoints.Writes}");
        return 0;
    }

    /// <summary>The portal's own composition over a LiteDB data directory (no hosted service runs).</summary>
    public static ServiceProvider Compose(string dataDirectory)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Datasets:TempDirectory"] = Path.Combine(dataDirectory, "spool"),
        }).Build();
        Directory.CreateDirectory(Path.Combine(dataDirectory, "spool"));
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddDomain();
        services.AddInfrastructure(configuration);
        services.AddSingleton<IStorageEngine>(_ => new GatedEngine(new LiteDbEngine(dataDirectory)));
        services.AddSingleton<FileBlobStore>(_ => new FileBlobStore(dataDirectory));
        services.AddSingleton<IBlobStore>(sp => new GatedBlobStore(sp.GetRequiredService<FileBlobStore>()));
        services.AddSingleton<ISweepableBlobStore>(sp => sp.GetRequiredService<FileBlobStore>());
        return services.BuildServiceProvider();
    }

    private static async Task<Func<Task>> SeedMergeAsync(IServiceProvider services)
    {
        var dataset = await SeedDatasetAsync(services, "merge", ["cat", "dog", "horse", "cow", "fish"]);
        return () => services.GetRequiredService<ClassService>().MergeAsync(User, dataset.Id, ["cat", "dog", "horse", "cow"], "mammal");
    }

    private static async Task<Func<Task>> SeedDatasetDeleteAsync(IServiceProvider services)
    {
        var dataset = await SeedDatasetAsync(services, "doomed", ["a", "b", "c"]);
        return () => services.GetRequiredService<DatasetService>().DeleteAsync(User, dataset.Id);
    }

    private static async Task<Func<Task>> SeedModelDeleteAsync(IServiceProvider services)
    {
        var dataset = await SeedDatasetAsync(services, "trained", ["a", "b"]);
        var artifact = await services.GetRequiredService<IBlobStore>().PutAsync(new MemoryStream(Guid.NewGuid().ToByteArray()));
        var model = new TrainedModel { OwnerId = User, Name = "model", DatasetId = dataset.Id, ArtifactSha256 = artifact.Sha256, Classes = ["a", "b"] };
        await services.GetRequiredService<ITrainedModelStore>().InsertAsync(model);
        var name = "m" + model.Id;
        await services.GetRequiredService<IPublicationStore>().TryInsertAsync(new Publication { Id = Publication.IdFor(User, name), OwnerId = User, Name = name, ModelId = model.Id });
        var run = new ModelTestRun { OwnerId = User, ModelId = model.Id, DatasetId = dataset.Id };
        var predictions = Enumerable.Range(0, 20).Select(i => new TestPrediction { OwnerId = User, RunId = run.Id, FileName = $"{i}.png" }).ToList();
        await services.GetRequiredService<IModelTestStore>().InsertAsync(run, predictions);
        return () => services.GetRequiredService<ModelService>().DeleteAsync(User, model.Id);
    }

    private static async Task<Func<Task>> SeedUploadAsync(IServiceProvider services)
    {
        var dataset = await services.GetRequiredService<DatasetService>().CreateAsync(User, "upload", null);
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var label in new[] { "red", "green", "blue" })
            {
                for (var i = 0; i < ImagesPerClass; i++)
                {
                    await using var entry = archive.CreateEntry($"{label}/{i}.png").Open();
                    await entry.WriteAsync(Png(Random.Shared.Next()));
                }
            }
        }

        var bytes = zip.ToArray();
        return () => services.GetRequiredService<ImageIngestService>().IngestAsync(User, dataset.Id, [("pictures.zip", new MemoryStream(bytes))]);
    }

    // Image documents written directly (no decoding): these scenarios are about the edits, not uploads.
    private static async Task<Dataset> SeedDatasetAsync(IServiceProvider services, string name, string[] classes)
    {
        var dataset = await services.GetRequiredService<DatasetService>().CreateAsync(User, name, null);
        var mutations = services.GetRequiredService<DatasetMutations>();
        foreach (var label in classes)
        {
            await mutations.EnsureClassAsync(User, dataset.Id, label, CancellationToken.None);
        }

        var blobs = services.GetRequiredService<IBlobStore>();
        var images = services.GetRequiredService<IImageStore>();
        foreach (var label in classes)
        {
            for (var i = 0; i < ImagesPerClass; i++)
            {
                var content = await blobs.PutAsync(new MemoryStream(Guid.NewGuid().ToByteArray()));
                var thumbnail = await blobs.PutAsync(new MemoryStream(Guid.NewGuid().ToByteArray()));
                await images.InsertAsync(new ImageAsset
                {
                    OwnerId = User,
                    DatasetId = dataset.Id,
                    Sha256 = content.Sha256,
                    ThumbnailSha256 = thumbnail.Sha256,
                    FileName = $"{label}-{i}.png",
                    Label = label,
                    Format = "Png",
                    SizeBytes = content.Length,
                    CreatedAt = DateTime.UtcNow,
                });
            }
        }

        return dataset;
    }

    private static byte[] Png(int seed)
    {
        using var bitmap = new SKBitmap(24, 24);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor((uint)seed | 0xFF000000));
            using var paint = new SKPaint { Color = new SKColor((uint)(seed * 7919) | 0xFF000000) };
            canvas.DrawRect(seed % 12, seed % 7, 8, 8, paint);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
