using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Infrastructure.Tests.Imaging;
using SkiaSharp;

namespace DiyMl.Infrastructure.Tests.Datasets;

public sealed class IngestTests : IDisposable
{
    private readonly DatasetHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Mixed_upload_keeps_the_good_files_and_explains_each_bad_one()
    {
        var id = await _harness.NewDatasetAsync();

        var report = await _harness.UploadAsync(id, "cat",
            ("good.png", TestImages.Png(40, 30)),
            ("notes.jpg", TestImages.Text()),
            ("empty.png", []),
            ("drawing.svg", TestImages.Svg()),
            ("cut.jpg", TestImages.Truncate(TestImages.Noise(300, 200, SKEncodedImageFormat.Jpeg))),
            ("cut.png", TestImages.Truncate(TestImages.Noise(300, 200, SKEncodedImageFormat.Png))),
            ("huge.png", TestImages.PngClaiming(50_000, 50_000)),
            ("photo.jpg", TestImages.Jpeg(64, 48, seed: 9)));

        Assert.Equal((2, 0, 6), (report.Accepted, report.Duplicates, report.Rejected));
        var good = report.Files[0];
        Assert.Equal((IngestStatus.Accepted, 40, 30, ImageFormats.Png, "cat"), (good.Status, good.Width, good.Height, good.Format, good.Label));
        Assert.NotNull(good.ImageId);
        Assert.All(report.Files.Where(f => f.Status == IngestStatus.Rejected), f => Assert.False(string.IsNullOrWhiteSpace(f.Reason)));
        var page = await _harness.Gallery.ListAsync("user-a", id, new GalleryFilter(), 1, 50);
        Assert.Equal(2, page.Total);
        Assert.Equal(4, _harness.BlobCount); // two originals and two thumbnails, nothing from the rejects
    }

    [Fact]
    public async Task Same_image_twice_is_stored_once_and_reported_as_duplicate()
    {
        var id = await _harness.NewDatasetAsync();
        var png = TestImages.Png(40, 30);

        var first = await _harness.UploadAsync(id, null, ("a.png", png), ("b.png", png));
        var second = await _harness.UploadAsync(id, null, ("c.png", png));

        Assert.Equal((1, 1), (first.Accepted, first.Duplicates));
        Assert.Equal(IngestStatus.Duplicate, second.Files.Single().Status);
        Assert.Equal(first.Files[0].ImageId, second.Files.Single().ImageId);
        Assert.Equal(1, (await _harness.Gallery.ListAsync("user-a", id, new GalleryFilter(), 1, 50)).Total);
        Assert.Equal(2, (await _harness.Analysis.AnalyzeAsync("user-a", id)).ExactDuplicatesSkipped);
    }

    [Fact]
    public async Task File_over_the_size_limit_is_rejected()
    {
        using var harness = new DatasetHarness(o => o.MaxFileBytes = 2048);
        var id = await harness.NewDatasetAsync();

        var report = await harness.UploadAsync(id, null, ("big.jpg", TestImages.Noise(200, 200, SKEncodedImageFormat.Jpeg)));

        Assert.Contains("larger than 2 KB", report.Files.Single().Reason);
    }

    [Fact]
    public async Task Upload_over_the_quota_is_refused_with_a_clear_message()
    {
        var small = TestImages.Png(20, 20);
        var filler = TestImages.Png(24, 24, seed: 5);
        var photo = TestImages.Noise(40, 40, SKEncodedImageFormat.Png);
        using var harness = new DatasetHarness(o => o.QuotaBytesPerUser = small.Length + filler.Length);
        var id = await harness.NewDatasetAsync();

        var report = await harness.UploadAsync(id, null, ("small.png", small), ("photo.png", photo), ("filler.png", filler));

        Assert.True(report.QuotaExceeded);
        Assert.Equal(2, report.Accepted);
        Assert.Contains("quota", report.Files[1].Reason);
        var full = await Assert.ThrowsAsync<LimitExceededException>(() => harness.UploadAsync(id, null, ("more.png", TestImages.Png(10, 10))));
        Assert.Contains("quota", full.Message);
    }

    [Fact]
    public async Task Zip_with_one_folder_per_class_creates_the_classes()
    {
        var id = await _harness.NewDatasetAsync();
        var zip = TestImages.Zip(
            ("shapes/circle/1.png", TestImages.Png(30, 30, seed: 1)),
            ("shapes/circle/2.png", TestImages.Png(30, 30, seed: 2)),
            ("shapes/square/3.png", TestImages.Png(30, 30, seed: 3)),
            ("loose.png", TestImages.Png(30, 30, seed: 4)),
            ("__MACOSX/shapes/._1.png", [1, 2, 3]));

        var report = await _harness.UploadAsync(id, null, ("shapes.zip", zip));

        Assert.Equal(4, report.Accepted);
        var summary = await _harness.Datasets.GetSummaryAsync("user-a", id);
        Assert.Equal(["circle", "square"], summary.Classes.Select(c => c.Name));
        Assert.Equal([2L, 1L], summary.Classes.Select(c => c.Count));
        Assert.Equal(1, summary.UnlabelledCount);
    }

    [Fact]
    public async Task Zip_entries_that_climb_out_are_ignored_with_a_reason()
    {
        var id = await _harness.NewDatasetAsync();
        var zip = TestImages.Zip(
            ("../evil.png", TestImages.Png(seed: 1)),
            ("a/../../evil2.png", TestImages.Png(seed: 2)),
            ("/etc/evil3.png", TestImages.Png(seed: 3)),
            ("C:/Windows/evil4.png", TestImages.Png(seed: 4)),
            ("ok/fine.png", TestImages.Png(seed: 5)));

        var report = await _harness.UploadAsync(id, null, ("paths.zip", zip));

        Assert.Equal(1, report.Accepted);
        Assert.Equal(4, report.Files.Count(f => f.Reason?.Contains("leaves the archive", StringComparison.Ordinal) == true));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(_harness.DataDirectory)!, "evil*.png"));
    }

    [Fact]
    public async Task Nested_zip_is_not_unpacked()
    {
        var id = await _harness.NewDatasetAsync();
        var inner = TestImages.Zip(("x.png", TestImages.Png()));

        var report = await _harness.UploadAsync(id, null, ("outer.zip", TestImages.Zip(("inner.zip", inner))));

        Assert.Contains("inside archives", report.Files.Single().Reason);
        Assert.Equal(0, report.Accepted);
    }

    [Fact]
    public async Task Zip_bomb_entry_stops_at_the_file_limit_without_unpacking_it_all()
    {
        var id = await _harness.NewDatasetAsync();
        var bomb = TestImages.Zip(("bomb.png", new byte[200 * 1024 * 1024])); // 200 MB of zeros, ~200 KB packed

        var report = await _harness.UploadAsync(id, null, ("bomb.zip", bomb));

        Assert.Contains("larger than 20 MB", report.Files.Single().Reason);
    }

    [Fact]
    public async Task Zip_that_unpacks_past_the_total_limit_stops_with_a_message_and_keeps_earlier_files()
    {
        using var harness = new DatasetHarness(o => o.MaxZipUncompressedBytes = 1024 * 1024);
        var id = await harness.NewDatasetAsync();
        var zip = TestImages.Zip(
            ("a/first.png", TestImages.Png(seed: 1)),
            ("a/zeros.bin", new byte[3 * 1024 * 1024]),
            ("a/after.png", TestImages.Png(seed: 2)));

        var report = await harness.UploadAsync(id, null, ("bomb.zip", zip));

        Assert.Equal(1, report.Accepted);
        Assert.Contains("unpacks to more than 1 MB", report.Files[^1].Reason);
        Assert.DoesNotContain(report.Files, f => f.FileName.EndsWith("after.png", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Zip_declaring_more_entries_than_allowed_is_refused_before_reading()
    {
        using var harness = new DatasetHarness(o => o.MaxZipEntries = 2);
        var id = await harness.NewDatasetAsync();
        var zip = TestImages.Zip(("1.png", TestImages.Png(seed: 1)), ("2.png", TestImages.Png(seed: 2)), ("3.png", TestImages.Png(seed: 3)));

        var report = await harness.UploadAsync(id, null, ("many.zip", zip));

        Assert.Equal(0, report.Accepted);
        Assert.Contains("has 3 entries; at most 2", report.Files.Single().Reason);
    }

    [Fact]
    public async Task Zip_whose_directory_claims_60000_entries_is_refused_without_reading_them()
    {
        var id = await _harness.NewDatasetAsync();
        var zip = TestImages.Zip(("1.png", TestImages.Png()));
        var eocd = zip.Length - 22; // no archive comment, so the record is the last 22 bytes
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(eocd + 8), 60_000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(eocd + 10), 60_000);

        var report = await _harness.UploadAsync(id, null, ("crafted.zip", zip));

        Assert.Contains("60,000 entries", report.Files.Single().Reason);
    }

    [Fact]
    public async Task Damaged_zip_is_reported_not_thrown()
    {
        var id = await _harness.NewDatasetAsync();
        var zip = TestImages.Zip(("1.png", TestImages.Png()));

        var report = await _harness.UploadAsync(id, null, ("broken.zip", zip[..(zip.Length / 2)]));

        Assert.Contains("damaged", report.Files.Single().Reason);
    }

    [Fact]
    public async Task Another_users_dataset_cannot_be_uploaded_to()
    {
        var id = await _harness.NewDatasetAsync("user-a");

        await Assert.ThrowsAsync<NotFoundException>(() => _harness.UploadAsAsync("user-b", id, null, ("x.png", TestImages.Png())));
    }
}
