using System.Security.Cryptography;
using DiyMl.Domain.Common;

namespace DiyMl.Infrastructure.Blobs;

/// <summary>
/// Blobs as files under <c>{dataDirectory}/blobs/ab/abcdef…</c>, named by SHA-256. Content is
/// written to a temporary file, flushed to disk, then renamed into place, so a reader never
/// sees half a blob and a crash leaves at most a stray temporary file.
/// </summary>
public sealed class FileBlobStore : IBlobStore
{
    private readonly string _root;

    public FileBlobStore(string dataDirectory)
    {
        _root = Path.Combine(dataDirectory, "blobs");
        Directory.CreateDirectory(Path.Combine(_root, "tmp"));
    }

    public async Task<BlobInfo> PutAsync(Stream content, CancellationToken ct = default)
    {
        var temp = Path.Combine(_root, "tmp", Guid.NewGuid().ToString("N"));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    length += read;
                }

                file.Flush(flushToDisk: true);
            }

            var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            var target = PathFor(sha);
            if (File.Exists(target))
            {
                File.Delete(temp);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                try
                {
                    File.Move(temp, target, overwrite: false);
                }
                catch (IOException) when (File.Exists(target))
                {
                    File.Delete(temp); // a concurrent writer stored the same content first
                }
            }

            return new BlobInfo(sha, length);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct = default)
    {
        if (!IsSha(sha256))
        {
            return Task.FromResult<Stream?>(null);
        }

        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathFor(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken ct = default) =>
        Task.FromResult(IsSha(sha256) && File.Exists(PathFor(sha256)));

    public Task DeleteAsync(string sha256, CancellationToken ct = default)
    {
        if (IsSha(sha256) && File.Exists(PathFor(sha256)))
        {
            File.Delete(PathFor(sha256)); // File.Delete throws when the ab/ folder was never made
        }

        return Task.CompletedTask;
    }

    // The name comes from our own hash, but it is checked anyway: it becomes part of a path.
    internal static bool IsSha(string value) =>
        value.Length == 64 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private string PathFor(string sha) => Path.Combine(_root, sha[..2], sha);
}
