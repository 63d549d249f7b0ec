using System.Security.Cryptography;

namespace DiyMl.Infrastructure.Tests.Storage;

public abstract partial class StorageContract
{
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
        await Blobs.DeleteAsync(info.Sha256);
        var unknown = Convert.ToHexStringLower(SHA256.HashData("never stored"u8));

        Assert.False(await Blobs.ExistsAsync(info.Sha256));
        Assert.Null(await Blobs.OpenReadAsync(info.Sha256));
        Assert.Null(await Blobs.OpenReadAsync(unknown));
        Assert.Null(await Blobs.OpenReadAsync("../../etc/passwd"));
        Assert.False(await Blobs.ExistsAsync("ABC"));
        await Blobs.DeleteAsync(unknown);
    }

    private static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
