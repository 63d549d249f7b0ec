using System.IO.Compression;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;

namespace DiyMl.Domain.Predictions;

/// <summary>One uploaded file of a prediction job: a loose file, an opened zip, or why it cannot be read.</summary>
internal sealed record BatchSource(string Name, Stream? Loose, ZipArchive? Archive, string? Error);

/// <summary>
/// Opens a prediction job's files and counts its images before anything is unpacked: the count
/// comes from each zip's central directory (the declared total first, so a few kilobytes claiming
/// millions of entries are refused before the directory is even parsed).
/// </summary>
internal static class BatchSources
{
    public static async Task<List<BatchSource>> OpenAsync(IReadOnlyList<PredictionFile> files, DatasetOptions options, CancellationToken ct)
    {
        var sources = new List<BatchSource>(files.Count);
        try
        {
            long images = 0;
            foreach (var file in files)
            {
                var source = await OpenAsync(file, options, ct);
                sources.Add(source);
                images += source.Archive is { } archive ? archive.Entries.Count(IsImageEntry) : 1;
                if (images > options.MaxZipEntries)
                {
                    throw new DomainValidationException("files", $"A prediction job takes at most {options.MaxZipEntries:N0} images; nothing was stored. Split the pictures into several jobs.");
                }
            }

            return sources;
        }
        catch
        {
            Dispose(sources);
            throw;
        }
    }

    public static void Dispose(IEnumerable<BatchSource> sources)
    {
        foreach (var source in sources)
        {
            source.Archive?.Dispose();
        }
    }

    public static bool IsImageEntry(ZipArchiveEntry entry) =>
        !ArchivePaths.IsDirectory(entry.FullName) && !ArchivePaths.IsNoise(entry.FullName) && !ArchivePaths.ClimbsOut(entry.FullName);

    private static async Task<BatchSource> OpenAsync(PredictionFile file, DatasetOptions options, CancellationToken ct)
    {
        var name = PredictionService.DisplayName(file.FileName);
        if (file.Content is null)
        {
            return new BatchSource(name, null, null, $"The file is larger than {Sizes.Format(options.MaxFileBytes)}, the most one image may be.");
        }

        var content = file.Content.CanSeek ? file.Content : await SpoolAsync(file.Content, options, ct);
        var head = new byte[4];
        var headLength = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        content.Position = 0;
        if (!ArchivePaths.LooksLikeZip(head.AsSpan(0, headLength)))
        {
            return new BatchSource(name, content, null, null);
        }

        var declared = ZipDirectory.DeclaredEntries(content);
        if (declared > options.MaxZipEntries)
        {
            throw new DomainValidationException("files", $"'{name}' has {declared:N0} entries; a prediction job takes at most {options.MaxZipEntries:N0} images and nothing was stored. Split it into smaller archives.");
        }

        content.Position = 0;
        try
        {
            return new BatchSource(name, null, new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true), null);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            return new BatchSource(name, null, null, "The zip archive is damaged or incomplete and could not be opened.");
        }
    }

    // Callers other than the web endpoint (which spools already) may pass a forward-only stream.
    private static async Task<Stream> SpoolAsync(Stream content, DatasetOptions options, CancellationToken ct)
    {
        var directory = string.IsNullOrEmpty(options.TempDirectory) ? Path.GetTempPath() : options.TempDirectory;
        Directory.CreateDirectory(directory);
        var spool = new FileStream(Path.Combine(directory, "diyml-batch-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await content.CopyToAsync(spool, ct);
        spool.Position = 0;
        return spool;
    }
}
