using DiyMl.Web.Components.Pages.Datasets;

namespace DiyMl.Web.Tests.Components;

/// <summary>The bytes the upload panel reports are the bytes the server has read, said in plain words.</summary>
public sealed class UploadProgressTests
{
    [Fact]
    public async Task Counting_stream_reports_the_running_total_of_bytes_read_and_passes_them_through()
    {
        var data = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        var seen = new List<long>();
        await using var counting = new CountingReadStream(new MemoryStream(data), seen.Add);

        var copy = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await counting.ReadAsync(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        Assert.Equal([4096L, 8192L, 10_000L], seen);
        Assert.Equal(data, copy.ToArray());
        Assert.Equal(10_000, counting.Position);
    }

    [Fact]
    public void Counting_stream_counts_synchronous_reads_and_ignores_the_end_of_the_stream()
    {
        var seen = new List<long>();
        using var counting = new CountingReadStream(new MemoryStream(new byte[300]), seen.Add);

        Assert.Equal(200, counting.Read(new byte[200], 0, 200));
        Assert.Equal(100, counting.Read(new byte[200], 0, 200));
        Assert.Equal(0, counting.Read(new byte[200], 0, 200));

        Assert.Equal([200L, 300L], seen);
    }

    [Fact]
    public void While_a_zip_travels_the_line_says_how_many_megabytes_have_arrived()
    {
        Assert.Equal("Sending fruit.zip: 2.1 of 8.4 MB sent", UploadProgressText.Phase("fruit.zip", 2_202_010, 8_808_038, null));
    }

    [Fact]
    public void Small_files_are_counted_in_kilobytes_and_the_count_never_passes_the_size()
    {
        Assert.Equal("120 of 300 KB sent", UploadProgressText.Sent(122_880, 307_200));
        Assert.Equal("300 of 300 KB sent", UploadProgressText.Sent(400_000, 307_200));
    }

    [Fact]
    public void Once_the_zip_has_arrived_the_line_counts_the_pictures_unpacked()
    {
        Assert.Equal("Unpacking 1,034 of 1,500 from fruit.zip", UploadProgressText.Phase("fruit.zip", 8_808_038, 8_808_038, (1034, 1500)));
    }
}
