using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using DiyMl.Domain.Common;

namespace DiyMl.Infrastructure.Blobs;

/// <summary>
/// Blobs as files under <c>{dataDirectory}/blobs/ab/abcdef…</c>, named by SHA-256, readable by the
/// portal's user only (files 0600, folders 0700). Content is written to a temporary file, flushed,
/// then renamed into place, so a reader never sees half a blob and a crash leaves at most a stray
/// temporary file. A file's modification time is its "last written" time: a put of content that
/// is already stored sets it to now instead of trusting the file, which may be about to be swept.
/// </summary>
public sealed class FileBlobStore : IBlobStore, ISweepableBlobStore
{
    private const int BufferSize = 81920;
    private const string DoomedPrefix = "doomed-";
    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string _root;
    private readonly string _temp;
    private readonly TimeProvider _clock;
    private readonly Action<string>? _afterTouch;

    public FileBlobStore(string dataDirectory, TimeProvider? clock = null)
        : this(dataDirectory, clock, afterTouch: null)
    {
    }

    /// <param name="afterTouch">Tests only: runs between a touch and its check, where a sweeper's rename can land.</param>
    internal FileBlobStore(string dataDirectory, TimeProvider? clock, Action<string>? afterTouch)
    {
        _afterTouch = afterTouch;
        _root = Path.Combine(dataDirectory, "blobs");
        _temp = Path.Combine(_root, "tmp");
        _clock = clock ?? TimeProvider.System;
        CreatePrivateDirectory(_root);
        CreatePrivateDirectory(_temp);
    }

    public async Task<BlobInfo> PutAsync(Stream content, CancellationToken ct = default)
    {
        var temp = Path.Combine(_temp, SpoolNames.New(_clock));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        try
        {
            await using (var file = new FileStream(temp, PrivateFile(FileMode.CreateNew, FileAccess.Write)))
            {
                var buffer = new byte[BufferSize];
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
            File.SetLastWriteTimeUtc(temp, Now()); // moved into place with its "last written" time set
            Place(temp, PathFor(sha));
            return new BlobInfo(sha, length);
        }
        finally
        {
            File.Delete(temp); // no-op once moved into place
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
            return Task.FromResult<Stream?>(new FileStream(PathFor(sha256), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, useAsync: true));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken ct = default) =>
        Task.FromResult(IsSha(sha256) && File.Exists(PathFor(sha256)));

    public Task<bool> RetainAsync(string sha256, CancellationToken ct = default) =>
        Task.FromResult(IsSha(sha256) && TryTouch(PathFor(sha256)));

    public async IAsyncEnumerable<StoredBlob> ListAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        foreach (var folder in Directory.EnumerateDirectories(_root).Where(d => Path.GetFileName(d).Length == 2))
        {
            foreach (var path in Directory.EnumerateFiles(folder))
            {
                ct.ThrowIfCancellationRequested();
                var name = Path.GetFileName(path);
                if (IsSha(name) && LastWritten(path) is { } written)
                {
                    yield return new StoredBlob(name, written, path);
                }
            }
        }
    }

    /// <summary>
    /// Renames the file aside first, then compares its modification time with what the sweeper
    /// listed. A put that touched the file before the rename changed that time, so the file goes
    /// back; a put after the rename finds no file to touch and writes its own copy. Either way no
    /// put can be left trusting a file that is then deleted.
    /// </summary>
    public Task<bool> TryDeleteUntouchedAsync(StoredBlob blob, CancellationToken ct)
    {
        var path = PathFor(blob.Sha256);
        var aside = Path.Combine(_temp, $"{DoomedPrefix}{blob.Sha256}-{Guid.NewGuid():N}");
        try
        {
            File.Move(path, aside, overwrite: false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult(false);
        }

        if (LastWritten(aside) != blob.LastWrittenUtc)
        {
            Restore(aside, path);
            return Task.FromResult(false);
        }

        File.Delete(aside);
        return Task.FromResult(true);
    }

    public Task<int> RemoveInterruptedAsync(DateTime before, CancellationToken ct)
    {
        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(_temp))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith(DoomedPrefix, StringComparison.Ordinal) && name.Length > DoomedPrefix.Length + 64)
            {
                Restore(path, PathFor(name.Substring(DoomedPrefix.Length, 64))); // deleting needs a fresh decision
            }
            else if (SpoolNames.BegunBefore(name, before))
            {
                File.Delete(path);
                removed++;
            }
        }

        return Task.FromResult(removed);
    }

    // The name comes from our own hash, but it is checked anyway: it becomes part of a path.
    internal static bool IsSha(string value) =>
        value.Length == 64 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private void Place(string temp, string target)
    {
        while (!TryTouch(target))
        {
            CreatePrivateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                File.Move(temp, target, overwrite: false);
                return;
            }
            catch (IOException) when (File.Exists(target))
            {
                // A concurrent put stored the same content first: touch that copy instead.
            }
        }
    }

    /// <summary>
    /// Sets the file's "last written" time to now and says whether the file is still in place
    /// afterwards. The check after the touch matters: utimensat resolves the path before it
    /// writes the time, so a sweeper can rename the file aside in between, read the old time at
    /// its new name, delete it, and the touch still "succeeds" on the unlinked file (seen once in
    /// ~7 runs of BlobRaceTests under load). A file gone after the touch is treated as absent and
    /// the caller writes its own copy; a file still in place carries the new time before any
    /// later rename, so the sweeper's compare-and-set sees it.
    /// </summary>
    private bool TryTouch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, Now());
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false; // absent, or set aside by the sweeper this instant: the caller writes it
        }

        _afterTouch?.Invoke(path);
        return File.Exists(path);
    }

    private static void Restore(string aside, string path)
    {
        try
        {
            File.Move(aside, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(aside); // a put already stored the same content again
        }
    }

    private static DateTime? LastWritten(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.LastWriteTimeUtc : null;
    }

    private DateTime Now() => _clock.GetUtcNow().UtcDateTime;

    private static FileStreamOptions PrivateFile(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None, BufferSize = BufferSize, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode0600;
        }

        return options;
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryMode0700);
        }
    }

    private string PathFor(string sha) => Path.Combine(_root, sha[..2], sha);
}
