using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace DiyMl.Infrastructure.Ml.Export;

/// <summary>
/// The featurizer part of ML.NET download zips, one file per feature space under
/// <c>&lt;data&gt;/exports</c>: built once (the expensive step: ML.NET loads the network into an
/// ONNX Runtime session and writes it out again), then shared by every model of that space.
/// A file is written under a temporary name and renamed into place, so a reader never sees a
/// partial one; concurrent first downloads of a space wait for one build; a file that does not
/// open as a zip is rebuilt; a new version of the network or of ML.NET gives a new name.
/// </summary>
public sealed class FeaturizerZipCache(string directory)
{
    private const string Prefix = "featurizer-";
    private const string PartialSuffix = ".partial";
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _builds = new();

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>
    /// The path of the featurizer zip named by <paramref name="space"/> (readable text naming the
    /// feature space) and <paramref name="identity"/> (everything its bytes depend on); <paramref name="build"/>
    /// writes it into the stream it is given when it is missing or damaged.
    /// </summary>
    public async Task<string> GetAsync(string space, string identity, Action<Stream> build, CancellationToken ct)
    {
        var slug = Slug(space);
        var path = Path.Combine(Directory, $"{Prefix}{slug}-{Hash(space + "\n" + identity)}.zip");
        if (IsUsable(path))
        {
            return path;
        }

        var gate = _builds.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (IsUsable(path))
            {
                return path; // built by the download this one waited for
            }

            System.IO.Directory.CreateDirectory(Directory);
            var partial = path + "." + Guid.NewGuid().ToString("N") + PartialSuffix;
            try
            {
                await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920))
                {
                    build(file);
                }

                // Kept even if the download that built it was cancelled meanwhile: the next one needs it.
                File.Move(partial, path, overwrite: true);
            }
            finally
            {
                File.Delete(partial);
            }

            RemoveOthers(slug, path);
            return path;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Drops a file found damaged while it was being read, so the next download rebuilds it.</summary>
    public static void Discard(string path) => File.Delete(path);

    private static bool IsUsable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            // Opening reads the central directory at the end of the file: a truncated or
            // overwritten file fails here, cheaply, before any byte of it is sent.
            using var zip = ZipFile.OpenRead(path);
            return zip.GetEntry(ZipComposer.Schema) is not null && zip.GetEntry(ZipComposer.Chain + "Model.key") is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    // Older builds of the same space (another network file, another ML.NET) and partial files a
    // crash left behind; a partial file younger than an hour may belong to another process's build.
    private void RemoveOthers(string slug, string current)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, $"{Prefix}{slug}-*"))
        {
            // Exactly this space: "<slug>-<16 hex>.zip…", not a longer space name that starts with the same words.
            var rest = Path.GetFileName(file)[(Prefix.Length + slug.Length + 1)..];
            if (rest.Length < 20 || !rest[..16].All(char.IsAsciiHexDigitLower) || !rest[16..].StartsWith(".zip", StringComparison.Ordinal))
            {
                continue;
            }

            var stale = file.EndsWith(PartialSuffix, StringComparison.Ordinal)
                ? File.GetLastWriteTimeUtc(file) < DateTime.UtcNow.AddHours(-1)
                : file != current;
            if (stale)
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // Still open for a download on some platform; the next build tries again.
                }
            }
        }
    }

    private static string Slug(string space) =>
        new([.. space.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
