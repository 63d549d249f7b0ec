using System.IO.Compression;
using DiyMl.Infrastructure.Ml.Export;

namespace DiyMl.Infrastructure.Tests.Ml.Export;

/// <summary>The featurizer part is built once per space, never read half-written, and rebuilt when damaged.</summary>
public sealed class FeaturizerZipCacheTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "diyml-fzc-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Concurrent_first_downloads_of_a_space_wait_for_one_build()
    {
        var cache = new FeaturizerZipCache(_directory);
        var builds = 0;
        using var release = new ManualResetEventSlim();
        using var started = new SemaphoreSlim(0);
        void Build(Stream file)
        {
            Interlocked.Increment(ref builds);
            started.Release();
            release.Wait(TestContext.Current.CancellationToken);
            WriteZip(file);
        }

        var first = Task.Run(() => cache.GetAsync("space-a", "id", Build, TestContext.Current.CancellationToken));
        await started.WaitAsync(TestContext.Current.CancellationToken);
        var others = Enumerable.Range(0, 3).Select(_ => Task.Run(() => cache.GetAsync("space-a", "id", Build, TestContext.Current.CancellationToken))).ToList();
        Assert.DoesNotContain(Directory.GetFiles(_directory), f => f.EndsWith(".zip", StringComparison.Ordinal)); // nothing readable while building
        release.Set();
        var paths = await Task.WhenAll([first, .. others]);

        Assert.Equal(1, builds);
        Assert.Single(paths.Distinct());
        Assert.Equal([paths[0]], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task A_truncated_part_is_rebuilt_and_a_new_identity_replaces_the_old_file_of_its_space_only()
    {
        var cache = new FeaturizerZipCache(_directory);
        var builds = 0;
        void Build(Stream file)
        {
            builds++;
            WriteZip(file);
        }

        var path = await cache.GetAsync("space-a", "v1", Build, TestContext.Current.CancellationToken);
        var longer = await cache.GetAsync("space-a-int8", "v1", Build, TestContext.Current.CancellationToken);
        await using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(file.Length / 2);
        }

        Assert.Equal(path, await cache.GetAsync("space-a", "v1", Build, TestContext.Current.CancellationToken));
        Assert.Equal(3, builds);
        using (ZipFile.OpenRead(path))
        {
        }

        var upgraded = await cache.GetAsync("space-a", "v2", Build, TestContext.Current.CancellationToken);
        Assert.NotEqual(path, upgraded);
        Assert.Equal(new[] { longer, upgraded }.Order(StringComparer.Ordinal), Directory.GetFiles(_directory).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_failed_build_leaves_no_file()
    {
        var cache = new FeaturizerZipCache(_directory);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync("space-a", "id", file =>
        {
            file.Write(new byte[1000]);
            throw new InvalidOperationException("network file missing");
        }, TestContext.Current.CancellationToken));

        Assert.Empty(Directory.GetFiles(_directory));
    }

    private static void WriteZip(Stream file)
    {
        using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
        zip.CreateEntry(ZipComposer.Chain + "Model.key").Open().Dispose();
        using var schema = zip.CreateEntry(ZipComposer.Schema).Open();
        schema.Write(new byte[4096]);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
