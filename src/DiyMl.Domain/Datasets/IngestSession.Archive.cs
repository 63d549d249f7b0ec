using System.IO.Compression;

namespace DiyMl.Domain.Datasets;

public sealed partial class IngestSession
{
    // A zip's directory sits at its end, so the archive is spooled to a temporary file (deleted
    // on close) instead of memory: memory use stays flat however large the upload is.
    private async Task AddArchiveAsync(string archiveName, ReadOnlyMemory<byte> head, Stream content, string? label, CancellationToken ct)
    {
        var options = _context.Options;
        var directory = string.IsNullOrEmpty(options.TempDirectory) ? Path.GetTempPath() : options.TempDirectory;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "diyml-upload-" + Guid.NewGuid().ToString("N") + ".zip");
        await using var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await spool.WriteAsync(head, ct);
        await content.CopyToAsync(spool, ct);
        var declared = ZipDirectory.DeclaredEntries(spool);
        if (declared > options.MaxZipEntries)
        {
            Reject(archiveName, $"The archive has {declared:N0} entries; at most {options.MaxZipEntries:N0} are accepted in one archive. Split it into smaller ones.");
            return;
        }

        spool.Position = 0;
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(spool, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            Reject(archiveName, "The zip archive is damaged or incomplete and could not be opened.");
            return;
        }

        using (archive)
        {
            await ReadEntriesAsync(archiveName, archive, label, ct);
        }
    }

    private async Task ReadEntriesAsync(string archiveName, ZipArchive archive, string? label, CancellationToken ct)
    {
        var options = _context.Options;
        long unpacked = 0;
        var entries = 0;
        var (files, file) = (archive.Entries.Take(options.MaxZipEntries).Count(IsFile), 0);
        foreach (var entry in archive.Entries)
        {
            if (++entries > options.MaxZipEntries)
            {
                Reject(archiveName, $"The archive has more than {options.MaxZipEntries:N0} entries; only the first {options.MaxZipEntries:N0} were read.");
                return;
            }

            if (IsFile(entry))
            {
                Unpacking?.Invoke(++file, files);
            }

            var entryName = ArchivePaths.DisplayName(archiveName + "/" + entry.FullName);
            if (ArchivePaths.ClimbsOut(entry.FullName))
            {
                Reject(entryName, "Ignored: its path leaves the archive (\"..\" or an absolute path).");
                continue;
            }

            if (ArchivePaths.IsDirectory(entry.FullName) || ArchivePaths.IsNoise(entry.FullName))
            {
                continue;
            }

            var entryLabel = label;
            if (entryLabel is null && ArchivePaths.ParentFolder(entry.FullName) is { } folder)
            {
                try
                {
                    entryLabel = ClassNames.Validate(folder, "label");
                }
                catch (Common.DomainValidationException e)
                {
                    Reject(entryName, $"Its folder name cannot be a class name: {e.Message}");
                    continue;
                }
            }

            // Count what is really unpacked, never the sizes the archive claims about itself.
            var remaining = options.MaxZipUncompressedBytes - unpacked;
            BoundedBuffer buffer;
            try
            {
                await using var stream = entry.Open();
                buffer = await BoundedBuffer.ReadAsync(ReadOnlyMemory<byte>.Empty, stream, Math.Min(options.MaxFileBytes, remaining), ct);
            }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException)
            {
                Reject(entryName, "This entry of the archive is damaged, encrypted or packed in an unsupported way and could not be unpacked.");
                continue;
            }

            using (buffer)
            {
                unpacked += buffer.Length;
                if (buffer.OverLimit && remaining <= options.MaxFileBytes)
                {
                    Reject(entryName, $"The archive unpacks to more than {Sizes.Format(options.MaxZipUncompressedBytes)}; reading stopped here. Files before this one were kept.");
                    return;
                }

                await AddImageAsync(entryName, buffer, entryLabel, ct);
            }
        }

        Unpacking?.Invoke(files, files);
    }

    private static bool IsFile(ZipArchiveEntry entry) => !ArchivePaths.IsDirectory(entry.FullName) && !ArchivePaths.IsNoise(entry.FullName);
}
