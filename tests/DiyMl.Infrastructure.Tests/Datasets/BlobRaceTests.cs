using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Storage;
using DiyMl.Infrastructure.Storage.Mongo;
using DiyMl.Infrastructure.Tests.Imaging;
using DiyMl.Infrastructure.Tests.Storage;

namespace DiyMl.Infrastructure.Tests.Datasets;

/// <summary>
/// The race that used to lose pictures: an image is deleted from dataset X while the same bytes
/// are uploaded to dataset Y, and the sweeper runs at that very moment with the blob already past
/// its grace period. Y's image must always keep its content and thumbnail, and once the race is
/// over nothing may be left that no image uses.
/// </summary>
public sealed class BlobRaceTests(MongoTestServer server)
{
    private const int Rounds = 200;

    [Fact]
    public async Task Delete_racing_an_upload_of_the_same_bytes_loses_no_content_on_one_LiteDb_instance()
    {
        using var instance = new DatasetHarness();

        await RaceAsync(instance, instance);

        Assert.Equal(2 * Rounds, instance.BlobCount);
    }

    [Fact]
    public async Task Delete_racing_an_upload_of_the_same_bytes_loses_no_content_across_two_Mongo_instances()
    {
        var url = await server.GetUrlForDatabaseAsync("diyml_race_" + Guid.NewGuid().ToString("N")[..12]);
        var clock = new ManualClock();
        MongoEngine? first = null;
        (IStorageEngine, IBlobStore) Open(ManualClock c, string dir)
        {
            var engine = new MongoEngine(url, "unused", TimeSpan.FromSeconds(10));
            first ??= engine;
            return (engine, new GridFsBlobStore(engine.Database, Path.Combine(dir, "tmp"), c));
        }

        using var deleter = new DatasetHarness(storage: Open, clock: clock);
        using var uploader = new DatasetHarness(storage: Open, clock: clock);
        try
        {
            await RaceAsync(deleter, uploader);

            var stored = 0;
            await foreach (var _ in ((ISweepableBlobStore)deleter.Blobs).ListAsync(default))
            {
                stored++;
            }

            Assert.Equal(2 * Rounds, stored);
        }
        finally
        {
            await first!.Database.Client.DropDatabaseAsync(first.Database.DatabaseNamespace.DatabaseName);
        }
    }

    private static async Task RaceAsync(DatasetHarness deleter, DatasetHarness uploader)
    {
        // Real user ids (ObjectId strings): the quota's usage record is keyed by the user id, and Mongo stores ids as ObjectIds.
        var (userX, userY) = (DiyMl.Domain.Common.Ids.New(), DiyMl.Domain.Common.Ids.New());
        var x = await deleter.NewDatasetAsync(userX, "X");
        var y = await uploader.NewDatasetAsync(userY, "Y");
        for (var round = 0; round < Rounds; round++)
        {
            var bytes = TestImages.Png(24, 18, seed: 10_000 + round);
            var stored = await deleter.UploadAsAsync(userX, x, null, ("p.png", bytes));
            deleter.Clock.Advance(DatasetHarness.Grace + TimeSpan.FromMinutes(1)); // the blob is now a sweep candidate

            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var racers = new List<Task>
            {
                Task.Run(async () => { await start.Task; await deleter.Gallery.DeleteAsync(userX, x, [stored.Files[0].ImageId!]); }),
                Task.Run(async () => { await start.Task; await uploader.UploadAsAsync(userY, y, null, ("p.png", bytes)); }),
                Task.Run(async () => { await start.Task; await deleter.Sweeper.SweepAsync(default); }),
            };
            if (uploader != deleter)
            {
                racers.Add(Task.Run(async () => { await start.Task; await uploader.Sweeper.SweepAsync(default); }));
            }

            start.SetResult();
            await Task.WhenAll(racers);
        }

        await deleter.SweepAfterGraceAsync();
        await uploader.Sweeper.SweepAsync(default);

        var images = (await uploader.Gallery.ListAsync(userY, y, new GalleryFilter(), 1, GalleryService.MaxPageSize)).Items;
        var withoutContent = 0;
        foreach (var image in images)
        {
            try
            {
                await using var content = (await uploader.Gallery.OpenContentAsync(userY, y, image.Id)).Content;
                await using var thumbnail = (await uploader.Gallery.OpenThumbnailAsync(userY, y, image.Id)).Content;
            }
            catch (NotFoundException)
            {
                withoutContent++;
            }
        }

        Assert.Equal(Rounds, images.Count);
        Assert.Equal(0, withoutContent);
        Assert.Equal(0, (await deleter.Datasets.GetSummaryAsync(userX, x)).ImageCount);
    }
}
