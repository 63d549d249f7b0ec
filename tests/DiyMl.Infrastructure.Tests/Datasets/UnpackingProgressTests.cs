using DiyMl.Infrastructure.Tests.Imaging;

namespace DiyMl.Infrastructure.Tests.Datasets;

/// <summary>"Unpacking 34 of 150": what the upload panel shows while a zip is ingested.</summary>
public sealed class UnpackingProgressTests : IDisposable
{
    private readonly DatasetHarness _harness = new();

    [Fact]
    public async Task Each_file_of_a_zip_is_announced_with_its_place_and_the_archives_file_count()
    {
        var id = await _harness.NewDatasetAsync();
        var zip = TestImages.Zip(
            ("shapes/circle/1.png", TestImages.Png(30, 30, seed: 1)),
            ("shapes/circle/2.png", TestImages.Png(30, 30, seed: 2)),
            ("shapes/square/3.png", TestImages.Png(30, 30, seed: 3)),
            ("__MACOSX/shapes/._1.png", [1, 2, 3]),
            ("../outside.png", TestImages.Png(30, 30, seed: 4)));
        var seen = new List<(int Done, int Total)>();
        var accepted = new List<int>();

        var session = await _harness.Ingest.BeginAsync("user-a", id);
        session.Unpacking += (done, total) => seen.Add((done, total));
        session.FileProcessed += _ => accepted.Add(seen.Count);
        await using (session)
        {
            await session.AddAsync("shapes.zip", new MemoryStream(zip), null);
        }

        // Noise (__MACOSX) is not a file a person sent; a refused entry still counts as unpacked.
        Assert.Equal([(1, 4), (2, 4), (3, 4), (4, 4), (4, 4)], seen);
        Assert.Equal(3, session.Report.Accepted);
        Assert.Equal([1, 2, 3, 4], accepted); // each outcome follows its own announcement
    }

    [Fact]
    public async Task A_single_picture_is_not_unpacking()
    {
        var id = await _harness.NewDatasetAsync();
        var seen = 0;

        var session = await _harness.Ingest.BeginAsync("user-a", id);
        session.Unpacking += (_, _) => seen++;
        await using (session)
        {
            await session.AddAsync("one.png", new MemoryStream(TestImages.Png(30, 30, seed: 9)), null);
        }

        Assert.Equal(0, seen);
    }

    public void Dispose() => _harness.Dispose();
}
