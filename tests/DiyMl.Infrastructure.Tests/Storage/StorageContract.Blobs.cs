using System.Security.Cryptography;
using DiyMl.Infrastructure.Blobs;

namespace DiyMl.Infrastructure.Tests.Storage;

public abstract partial class StorageContract
{
    /// <summary>The clock the engine's blob store stamps "last written" times with.</summary>
    protected ManualClock Clock { get; } = new();

    private ISweepableBlobStore Sweepable => (ISweepableBlobStore)Blobs;

    public static TheoryData<int> BlobSizes => [0, 5, 100_000, 20 * 1024 * 1024 + 7];

    [Theory]
    [MemberData(nameof(BlobSizes))]
    public async Task Blob_is_named_by_its_sha256_and_reads_back_byte_for_byte(int size)
    {
        var content = Bytes(size, seed: size);

        var info = await Blobs.PutAsync(new MemoryStream(content));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), info.Sha256);
        Assert.Equal(size, info.Length);
        Assert.True(await Blobs.ExistsAsync(info.Sha256));
        await using var read = await Blobs.OpenReadAsync(info.Sha256);
        Assert.NotNull(read);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.True(content.AsSpan().SequenceEqual(copy.ToArray()), "blob content differs");
    }

    [Fact]
    public async Task Storing_the_same_content_twice_keeps_one_blob()
    {
        var content = Bytes(300_000, seed: 3);

        var first = await Blobs.PutAsync(new MemoryStream(content));
        var second = await Blobs.PutAsync(new MemoryStream(content));

        Assert.Equal(first, second);
        Assert.Equal(1, await CountStoredCopiesAsync(first.Sha256));
    }

    [Fact]
    public async Task Deleted_or_unknown_blobs_are_absent_not_errors()
    {
        var info = await Blobs.PutAsync(new MemoryStream(Bytes(10, seed: 1)));
        Clock.Advance(TimeSpan.FromHours(2));
        Assert.True(await Sweepable.TryDeleteUntouchedAsync(await ListedAsync(info.Sha256), default));
        var unknown = Convert.ToHexStringLower(SHA256.HashData("never stored"u8));

        Assert.False(await Blobs.ExistsAsync(info.Sha256));
        Assert.Null(await Blobs.OpenReadAsync(info.Sha256));
        Assert.Null(await Blobs.OpenReadAsync(unknown));
        Assert.Null(await Blobs.OpenReadAsync("../../etc/passwd"));
        Assert.False(await Blobs.ExistsAsync("ABC"));
        Assert.False(await Blobs.RetainAsync(unknown));
    }

    [Fact]
    public async Task Putting_stored_content_again_refreshes_its_last_written_time()
    {
        var content = Bytes(1000, seed: 7);
        var info = await Blobs.PutAsync(new MemoryStream(content));
        var first = (await ListedAsync(info.Sha256)).LastWrittenUtc;

        Clock.Advance(TimeSpan.FromHours(3));
        await Blobs.PutAsync(new MemoryStream(content));
        var second = (await ListedAsync(info.Sha256)).LastWrittenUtc;
        Clock.Advance(TimeSpan.FromHours(3));
        Assert.True(await Blobs.RetainAsync(info.Sha256));
        var third = (await ListedAsync(info.Sha256)).LastWrittenUtc;

        Assert.InRange(second - first, TimeSpan.FromHours(3) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(3) + TimeSpan.FromSeconds(1));
        Assert.InRange(third - second, TimeSpan.FromHours(3) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(3) + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Sweep_delete_keeps_a_blob_put_again_after_the_sweeper_listed_it()
    {
        var content = Bytes(5000, seed: 8);
        var info = await Blobs.PutAsync(new MemoryStream(content));
        Clock.Advance(TimeSpan.FromHours(2));
        var listed = await ListedAsync(info.Sha256);

        Clock.Advance(TimeSpan.FromSeconds(1));
        await Blobs.PutAsync(new MemoryStream(content)); // an upload of the same bytes, right now

        Assert.False(await Sweepable.TryDeleteUntouchedAsync(listed, default));
        Assert.True(await Blobs.ExistsAsync(info.Sha256));
        await using (var read = await Blobs.OpenReadAsync(info.Sha256))
        {
            Assert.Equal(content.Length, read!.Length);
        }

        Assert.True(await Sweepable.TryDeleteUntouchedAsync(await ListedAsync(info.Sha256), default));
        Assert.False(await Blobs.ExistsAsync(info.Sha256));
        await Blobs.PutAsync(new MemoryStream(content)); // and it can be stored again afterwards
        Assert.True(await Blobs.ExistsAsync(info.Sha256));
        Assert.Equal(1, await CountStoredCopiesAsync(info.Sha256));
    }

    private async Task<StoredBlob> ListedAsync(string sha)
    {
        await foreach (var blob in Sweepable.ListAsync(default))
        {
            if (blob.Sha256 == sha)
            {
                return blob;
            }
        }

        throw new InvalidOperationException($"blob {sha} is not listed");
    }

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
