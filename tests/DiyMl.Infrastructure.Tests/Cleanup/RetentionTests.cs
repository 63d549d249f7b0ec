using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;
using DiyMl.Domain.Publishing;
using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Tests.Imaging;
using DiyMl.Infrastructure.Tests.Storage;
using CleanupPass = DiyMl.Infrastructure.Cleanup.Cleanup;

namespace DiyMl.Infrastructure.Tests.Cleanup;

/// <summary>
/// With <c>Jobs:RetentionDays</c> set to 2 and the clock moved three days on: finished jobs go
/// with their result files, while models, datasets, images, publications and unfinished jobs stay.
/// </summary>
public sealed class RetentionTests : IDisposable
{
    private const string User = "user-r";
    private readonly TempDirectory _dir = new();
    private readonly StorageHost _host;

    public RetentionTests() =>
        _host = new StorageHost(_dir.Path, new ManualClock(), new Dictionary<string, string?> { ["Jobs:RetentionDays"] = "2" });

    public void Dispose()
    {
        _host.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Old_finished_jobs_and_their_results_go_while_everything_people_saved_stays()
    {
        var blobs = _host.Get<IBlobStore>();
        var jobs = _host.Get<IJobStore>();
        var dataset = await _host.Get<DatasetService>().CreateAsync(User, "Kept", null);
        var upload = await _host.Get<ImageIngestService>().IngestAsync(User, dataset.Id, [("a.png", new MemoryStream(TestImages.Png(seed: 5)))], "cat");
        var artifact = await blobs.PutAsync(new MemoryStream([1, 2, 3]));
        var model = new TrainedModel { OwnerId = User, Name = "Kept model", DatasetId = dataset.Id, ArtifactSha256 = artifact.Sha256, Classes = ["cat"] };
        await _host.Get<ITrainedModelStore>().InsertAsync(model);
        var publication = new Publication { Id = Publication.IdFor(User, "kept"), OwnerId = User, Name = "kept", ModelId = model.Id };
        Assert.True(await _host.Get<IPublicationStore>().TryInsertAsync(publication));

        var oldResult = await blobs.PutAsync(new MemoryStream("[{\"label\":\"old\"}]"u8.ToArray()));
        var newResult = await blobs.PutAsync(new MemoryStream("[{\"label\":\"new\"}]"u8.ToArray()));
        var queuedUpload = await blobs.PutAsync(new MemoryStream(TestImages.Png(seed: 6)));
        var oldSucceeded = await InsertJobAsync(jobs, JobStatus.Succeeded, finishedDaysAgo: 0, resultSha: oldResult.Sha256);
        var oldFailed = await InsertJobAsync(jobs, JobStatus.Failed, finishedDaysAgo: 0);
        var queued = await InsertJobAsync(jobs, JobStatus.Queued, finishedDaysAgo: null, inputSha: queuedUpload.Sha256);
        var running = await InsertJobAsync(jobs, JobStatus.Running, finishedDaysAgo: null);

        _host.Clock.Advance(TimeSpan.FromDays(3));
        var recent = await InsertJobAsync(jobs, JobStatus.Succeeded, finishedDaysAgo: 0, resultSha: newResult.Sha256);
        var report = await _host.Get<CleanupPass>().RunAsync(atStartup: false, default);

        Assert.Equal(2, report.Retention.JobsRemoved);
        Assert.Null(await jobs.GetAsync(oldSucceeded));
        Assert.Null(await jobs.GetAsync(oldFailed));
        Assert.NotNull(await jobs.GetAsync(queued));
        Assert.NotNull(await jobs.GetAsync(running));
        Assert.NotNull(await jobs.GetAsync(recent));
        Assert.False(await blobs.ExistsAsync(oldResult.Sha256), "the old job's result file should be gone");
        Assert.True(await blobs.ExistsAsync(newResult.Sha256));
        Assert.True(await blobs.ExistsAsync(queuedUpload.Sha256), "a queued job's upload must wait for the job");

        Assert.NotNull(await _host.Get<ITrainedModelStore>().GetAsync(model.Id));
        Assert.True(await blobs.ExistsAsync(artifact.Sha256));
        Assert.NotNull(await _host.Get<IPublicationStore>().GetAsync(publication.Id));
        var summary = await _host.Get<DatasetService>().GetSummaryAsync(User, dataset.Id);
        Assert.Equal(1, summary.ImageCount);
        await using var content = (await _host.Get<GalleryService>().OpenContentAsync(User, dataset.Id, upload.Files[0].ImageId!)).Content;
        Assert.True(content.Length > 0);
    }

    [Fact]
    public async Task Cached_features_of_images_no_longer_stored_are_removed()
    {
        var dataset = await _host.Get<DatasetService>().CreateAsync(User, "Cache", null);
        var ingest = _host.Get<ImageIngestService>();
        var kept = await ingest.IngestAsync(User, dataset.Id, [("k.png", new MemoryStream(TestImages.Png(seed: 7)))], null);
        var gone = await ingest.IngestAsync(User, dataset.Id, [("g.png", new MemoryStream(TestImages.Png(seed: 8)))], null);
        var images = _host.Get<IImageStore>();
        var keptSha = (await images.GetAsync(kept.Files[0].ImageId!))!.Sha256;
        var goneSha = (await images.GetAsync(gone.Files[0].ImageId!))!.Sha256;
        var cache = _host.Get<FeatureCache>();
        await cache.PutAsync(keptSha, "resnet18-v1", flip: false, [1f, 2f], default);
        await cache.PutAsync(goneSha, "resnet18-v1", flip: false, [3f, 4f], default);
        await cache.PutAsync(goneSha, "resnet18-v1", flip: true, [5f, 6f], default);

        await _host.Get<GalleryService>().DeleteAsync(User, dataset.Id, [gone.Files[0].ImageId!]);
        var report = await _host.Get<CleanupPass>().RunAsync(atStartup: false, default);

        Assert.Equal(2, report.Retention.FeatureEntriesRemoved);
        Assert.NotNull(await cache.GetAsync(keptSha, "resnet18-v1", false, default));
        Assert.Null(await cache.GetAsync(goneSha, "resnet18-v1", false, default));
        Assert.Null(await cache.GetAsync(goneSha, "resnet18-v1", true, default));
    }

    private async Task<string> InsertJobAsync(IJobStore jobs, JobStatus status, int? finishedDaysAgo, string? resultSha = null, string? inputSha = null)
    {
        var now = _host.Clock.GetUtcNow().UtcDateTime;
        var job = new Job
        {
            OwnerId = User,
            Kind = JobKind.BatchPrediction,
            Status = status,
            CreatedAt = now,
            UpdatedAt = now,
            FinishedAt = finishedDaysAgo is { } days ? now.AddDays(-days) : null,
            InputJson = JsonSerializer.Serialize(new { items = inputSha is null ? [] : new[] { new { fileName = "a.png", sha256 = inputSha } } }),
            ResultJson = resultSha is null ? null : JsonSerializer.Serialize(new { resultSha256 = resultSha, images = 1 }),
        };
        await jobs.InsertAsync(job);
        return job.Id;
    }
}
