using System.Security.Cryptography;
using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// One upload in progress. Each file is judged on its own: a good file is stored at once (blob,
/// thumbnail, then its document), a bad one is reported and changes nothing. Not thread-safe:
/// add files one after another.
/// </summary>
public sealed partial class IngestSession : IAsyncDisposable
{
    private readonly IngestContext _context;
    private readonly List<IngestFileResult> _results = [];
    // Storing an image means two blob writes flushed to disk plus a document insert: mostly
    // waiting on the disk. Up to this many stores overlap while the next files are decoded.
    private const int StoreWindow = 4;

    private readonly Dictionary<string, ImageAsset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<Task> _pendingStores = new();
    private readonly Dictionary<string, string> _classes = new(StringComparer.OrdinalIgnoreCase);
    // Stored images with the blobs each created, so a request that fails half-way can take them back.
    private readonly List<(ImageAsset Image, WrittenBlobs Blobs)> _stored = [];
    private readonly Lock _storedGate = new();
    private readonly SessionQuota _quota;
    private bool _quotaExceeded;
    private bool _closed;

    internal IngestSession(IngestContext context)
    {
        _context = context;
        _quota = new SessionQuota(context.Quota, context.UserId);
    }

    /// <summary>Raised after each file's outcome is known (the upload panel shows progress with it).</summary>
    public event Action<IngestFileResult>? FileProcessed;

    /// <summary>
    /// Raised as each file of a zip archive is taken out, with its place and the archive's file
    /// count ("Unpacking 34 of 150"); once more at the end with the count itself.
    /// </summary>
    public event Action<int, int>? Unpacking;

    public IngestReport Report => new(
        _results.Count(r => r.Status == IngestStatus.Accepted),
        _results.Count(r => r.Status == IngestStatus.Duplicate),
        _results.Count(r => r.Status == IngestStatus.Rejected),
        _quotaExceeded,
        _results.ToList());

    /// <summary>
    /// Adds one uploaded file: an image, or a zip archive whose entries are added in turn. A
    /// <paramref name="label"/> applies to every image; without one, zip entries take the name
    /// of their folder and loose files stay unlabelled.
    /// </summary>
    public async Task AddAsync(string fileName, Stream content, string? label, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var name = ArchivePaths.DisplayName(fileName);
        var fixedLabel = string.IsNullOrWhiteSpace(label) ? null : ClassNames.Validate(label, "label");

        var head = new byte[4];
        var headLength = await ReadHeadAsync(content, head, ct);
        if (ArchivePaths.LooksLikeZip(head.AsSpan(0, headLength)))
        {
            await AddArchiveAsync(name, head.AsMemory(0, headLength), content, fixedLabel, ct);
            return;
        }

        using var buffer = await BoundedBuffer.ReadAsync(head.AsMemory(0, headLength), content, _context.Options.MaxFileBytes, ct);
        await AddImageAsync(name, buffer, fixedLabel, ct);
    }

    private static async Task<int> ReadHeadAsync(Stream content, byte[] head, CancellationToken ct)
    {
        var length = 0;
        while (length < head.Length)
        {
            var read = await content.ReadAsync(head.AsMemory(length), ct);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return length;
    }

    private async Task AddImageAsync(string name, BoundedBuffer buffer, string? label, CancellationToken ct)
    {
        var options = _context.Options;
        if (buffer.Length == 0)
        {
            Reject(name, "The file is empty.");
            return;
        }

        if (buffer.OverLimit)
        {
            Reject(name, $"The file is larger than {Sizes.Format(options.MaxFileBytes)}, the most one image may be.");
            return;
        }

        if (ArchivePaths.LooksLikeZip(buffer.Span))
        {
            Reject(name, "Archives inside archives are not unpacked; upload the inner zip on its own.");
            return;
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(buffer.Span));
        if (await FindDuplicateAsync(sha, ct) is { } existing)
        {
            Add(new IngestFileResult(name, IngestStatus.Duplicate, existing.Id, existing.Width, existing.Height, existing.Format, existing.Label,
                "The same image is already in this dataset; it was stored once."));
            return;
        }

        var inspection = _context.Inspector.Inspect(buffer.Span, options.MaxPixels, options.ThumbnailSide);
        if (!inspection.IsAccepted)
        {
            Reject(name, inspection.Rejection!);
            return;
        }

        if (!await _quota.TryTakeAsync(buffer.Length, ct))
        {
            _quotaExceeded = true;
            Reject(name, $"Your storage quota of {Sizes.Format(options.QuotaBytesPerUser)} is full; this file was not stored. Delete images you no longer need.");
            return;
        }

        var resolvedLabel = label is null ? null : await ResolveClassAsync(label, ct);
        var image = NewImage(name, sha, buffer.Length, inspection, resolvedLabel);
        _seen[sha] = image;
        _pendingStores.Enqueue(StoreAsync(image, buffer.Span.ToArray(), inspection.Thumbnail, ct));
        if (_pendingStores.Count >= StoreWindow)
        {
            await _pendingStores.Dequeue();
        }

        Add(new IngestFileResult(name, IngestStatus.Accepted, image.Id, image.Width, image.Height, image.Format, image.Label));
    }

    private ImageAsset NewImage(string name, string sha, long size, ImageInspection inspection, string? label) => new()
    {
        OwnerId = _context.UserId,
        DatasetId = _context.DatasetId,
        Sha256 = sha,
        FileName = name,
        Label = label,
        Width = inspection.Width,
        Height = inspection.Height,
        Format = inspection.Format,
        SizeBytes = size,
        DHash = inspection.DHash,
        CreatedAt = _context.Clock.GetUtcNow().UtcDateTime,
    };

    // Blobs first, document last: a reader never finds a document whose bytes are missing. A
    // failure takes back what this image wrote and gives its reserved bytes back; a stored image
    // counts itself, so its reservation ends.
    private async Task StoreAsync(ImageAsset image, byte[] content, byte[]? thumbnail, CancellationToken ct)
    {
        await Task.Yield();
        var written = new WrittenBlobs(_context.Blobs);
        try
        {
            await written.PutAsync(content, ct);
            if (thumbnail is not null)
            {
                image.ThumbnailSha256 = await written.PutAsync(thumbnail, ct);
            }

            await _context.Images.InsertAsync(image, ct);
        }
        catch
        {
            await written.RollBackAsync();
            await _quota.ReturnAsync(content.Length);
            throw;
        }

        lock (_storedGate)
        {
            _stored.Add((image, written));
        }

        await _quota.ReturnAsync(content.Length);
    }

    /// <summary>
    /// The request failed half-way (a truncated body, a dropped connection): removes every image
    /// this session stored and the blobs it created for them, then closes the session.
    /// </summary>
    public async Task DiscardAsync()
    {
        try
        {
            await DrainAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // a store that failed has already taken back its own writes
        }

        List<(ImageAsset Image, WrittenBlobs Blobs)> stored;
        lock (_storedGate)
        {
            stored = [.. _stored];
            _stored.Clear();
        }

        foreach (var (image, _) in stored)
        {
            await _context.Images.DeleteAsync(image.Id, CancellationToken.None);
        }

        foreach (var (_, blobs) in stored)
        {
            await blobs.RollBackAsync();
        }

        _results.RemoveAll(r => r.Status == IngestStatus.Accepted);
        await DisposeAsync();
    }

    /// <summary>Waits until every accepted image is stored.</summary>
    private async Task DrainAsync()
    {
        while (_pendingStores.TryDequeue(out var store))
        {
            await store;
        }
    }

    private async Task<ImageAsset?> FindDuplicateAsync(string sha, CancellationToken ct)
    {
        if (_seen.TryGetValue(sha, out var pending))
        {
            return pending;
        }

        return await _context.Images.FindByShaAsync(_context.DatasetId, sha, ct);
    }

    private async Task<string> ResolveClassAsync(string label, CancellationToken ct)
    {
        if (!_classes.TryGetValue(label, out var stored))
        {
            stored = await _context.Mutations.EnsureClassAsync(_context.UserId, _context.DatasetId, label, ct);
            _classes[label] = stored;
        }

        return stored;
    }

    private void Reject(string name, string reason) => Add(new IngestFileResult(name, IngestStatus.Rejected, Reason: reason));

    private void Add(IngestFileResult result)
    {
        _results.Add(result);
        FileProcessed?.Invoke(result);
    }

    /// <summary>Records the change on the dataset (revision, duplicate count) so cached analysis is refreshed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        try
        {
            await DrainAsync();
        }
        catch (OperationCanceledException)
        {
            // the upload was abandoned; what was stored stays, the rest never existed
        }
        finally
        {
            await _quota.DisposeAsync();
        }

        var duplicates = _results.Count(r => r.Status == IngestStatus.Duplicate);
        if (_results.Any(r => r.Status != IngestStatus.Rejected))
        {
            try
            {
                await _context.Mutations.UpdateAsync(_context.UserId, _context.DatasetId, d => d.DuplicatesSkipped += duplicates, CancellationToken.None);
            }
            catch (NotFoundException)
            {
                // the dataset was deleted while the upload ran; nothing left to record on
            }
        }
    }
}
