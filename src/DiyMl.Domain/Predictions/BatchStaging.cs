using System.IO.Compression;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;

namespace DiyMl.Domain.Predictions;

/// <summary>
/// A prediction job's upload, checked in full before one blob is written. The images to store are
/// copied to one temporary staging file (deleted on close), so memory stays flat and nothing is
/// inflated or decoded twice. Refusals that concern the whole request (too many images) throw
/// before a byte is unpacked; a bad single file becomes an item with its error and is not stored.
/// </summary>
internal sealed class BatchStaging : IAsyncDisposable
{
    // Predictions never keep the inspector's thumbnail, so it is made tiny.
    private const int ThumbnailSide = 32;

    private readonly IImageInspector _inspector;
    private readonly DatasetOptions _options;
    private readonly FileStream _staging;
    private readonly List<(BatchItem Item, long Offset, int Length)> _items = [];
    private long _unpacked;

    private BatchStaging(IImageInspector inspector, DatasetOptions options)
    {
        _inspector = inspector;
        _options = options;
        var directory = string.IsNullOrEmpty(options.TempDirectory) ? Path.GetTempPath() : options.TempDirectory;
        Directory.CreateDirectory(directory);
        _staging = new FileStream(Path.Combine(directory, "diyml-staging-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
    }

    /// <summary>Every file and entry with its error, before storing (a stored one has no error and no blob yet).</summary>
    public IReadOnlyList<BatchItem> Items => [.. _items.Select(i => i.Item)];

    /// <summary>Bytes of the pictures that will be stored: what the quota must hold.</summary>
    public long StagedBytes => _items.Sum(i => (long)i.Length);

    public static async Task<BatchStaging> CreateAsync(IImageInspector inspector, DatasetOptions options, IReadOnlyList<PredictionFile> files, CancellationToken ct)
    {
        var staging = new BatchStaging(inspector, options);
        try
        {
            var sources = await BatchSources.OpenAsync(files, options, ct);
            try
            {
                foreach (var source in sources)
                {
                    await staging.AddAsync(source, ct);
                }
            }
            finally
            {
                BatchSources.Dispose(sources);
            }

            return staging;
        }
        catch
        {
            await staging.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes the staged pictures as blobs (through <paramref name="written"/>, which can take them back).</summary>
    public async Task<IReadOnlyList<BatchItem>> StoreAsync(WrittenBlobs written, CancellationToken ct)
    {
        var items = new List<BatchItem>(_items.Count);
        foreach (var (item, offset, length) in _items)
        {
            if (item.Error is not null)
            {
                items.Add(item);
                continue;
            }

            var content = new byte[length];
            _staging.Position = offset;
            await _staging.ReadExactlyAsync(content, ct);
            items.Add(item with { Sha256 = await written.PutAsync(content, ct) });
        }

        return items;
    }

    private async Task AddAsync(BatchSource source, CancellationToken ct)
    {
        if (source.Error is not null)
        {
            Fail(source.Name, source.Error);
            return;
        }

        if (source.Archive is null)
        {
            using var buffer = await BoundedBuffer.ReadAsync(ReadOnlyMemory<byte>.Empty, source.Loose!, _options.MaxFileBytes, ct);
            await StageAsync(source.Name, buffer, ct);
            return;
        }

        foreach (var entry in source.Archive.Entries.Where(BatchSources.IsImageEntry))
        {
            var name = PredictionService.DisplayName(entry.FullName);
            // Declared sizes first: an entry that says it is too big is never inflated.
            if (entry.Length > _options.MaxFileBytes)
            {
                Fail(name, TooLarge());
                continue;
            }

            if (_unpacked >= _options.MaxZipUncompressedBytes)
            {
                Fail(name, "The archives unpack to more than allowed; this entry was not read.");
                continue;
            }

            BoundedBuffer buffer;
            try
            {
                // Inflated bytes are counted while reading: an entry may unpack to no more than it declares.
                await using var stream = entry.Open();
                buffer = await BoundedBuffer.ReadAsync(ReadOnlyMemory<byte>.Empty, stream, Math.Min(entry.Length, _options.MaxZipUncompressedBytes - _unpacked), ct);
            }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException)
            {
                Fail(name, "This entry of the archive is damaged, encrypted or packed in an unsupported way and could not be unpacked.");
                continue;
            }

            using (buffer)
            {
                _unpacked += buffer.Length;
                if (buffer.OverLimit)
                {
                    Fail(name, "This entry unpacks to more than the archive says it holds; the archive is damaged or crafted, and the entry was not read.");
                    continue;
                }

                await StageAsync(name, buffer, ct);
            }
        }
    }

    private async Task StageAsync(string name, BoundedBuffer buffer, CancellationToken ct)
    {
        if (buffer.Length == 0)
        {
            Fail(name, "The file is empty.");
            return;
        }

        if (buffer.OverLimit)
        {
            Fail(name, TooLarge());
            return;
        }

        if (ArchivePaths.LooksLikeZip(buffer.Span))
        {
            Fail(name, "Archives inside archives are not unpacked.");
            return;
        }

        var inspection = _inspector.Inspect(buffer.Span, _options.MaxPixels, ThumbnailSide);
        if (!inspection.IsAccepted)
        {
            Fail(name, inspection.Rejection!);
            return;
        }

        var offset = _staging.Length;
        _staging.Position = offset;
        await _staging.WriteAsync(buffer.Array.AsMemory(0, buffer.Length), ct);
        _items.Add((new BatchItem(name, null, null), offset, buffer.Length));
    }

    private void Fail(string name, string error) => _items.Add((new BatchItem(name, null, error), 0, 0));

    private string TooLarge() => $"The file is larger than {Sizes.Format(_options.MaxFileBytes)}, the most one image may be.";

    public ValueTask DisposeAsync() => _staging.DisposeAsync();
}
