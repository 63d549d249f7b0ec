using System.IO.Compression;
using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;

namespace DiyMl.Domain.Predictions;

/// <summary>One image waiting in a prediction job: its stored content, or why it was refused at upload.</summary>
public sealed record BatchItem(string FileName, string? Sha256, string? Error);

/// <summary>What a prediction job needs to run: who asked (for the usage record), top-k and the images.</summary>
public sealed record BatchPredictionInput(string CallerUserId, PredictionChannel Channel, string? ApiKeyId, int K, IReadOnlyList<BatchItem> Items);

/// <summary>A finished prediction job: where its answers are stored and the counts.</summary>
public sealed record BatchPredictionResult(string ResultSha256, int Images, int Answered, int Failed);

/// <summary>
/// Starts prediction jobs over many images or zip archives of images. Uploads are stored as
/// blobs before the job is created, so the job can run (or re-run after a crash) without the request.
/// </summary>
public sealed class BatchPredictionService(
    PredictionService predictions,
    IBlobStore blobs,
    DatasetOptions options,
    JobService jobs)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Job> StartAsync(PredictionCaller caller, string modelId, IReadOnlyList<PredictionFile> files, int? k, CancellationToken ct = default)
    {
        var model = await predictions.ResolveAsync(caller, modelId, ct);
        var topK = PredictionService.CheckTopK(k);
        if (files.Count == 0)
        {
            throw new DomainValidationException("files", "Send images or zip archives of images in the multipart field 'files'.");
        }

        var items = new List<BatchItem>();
        foreach (var file in files)
        {
            await AddAsync(items, PredictionService.DisplayName(file.FileName), file.Content, ct);
        }

        if (items.Count > options.MaxZipEntries)
        {
            throw new DomainValidationException("files", $"A prediction job takes at most {options.MaxZipEntries:N0} images.");
        }

        var input = new BatchPredictionInput(caller.UserId, caller.Channel, caller.ApiKeyId, topK, items);
        return await jobs.CreateAsync(caller.UserId, JobRequest.Of(JobKind.BatchPrediction, input, modelId: model.Id), ct);
    }

    private async Task AddAsync(List<BatchItem> items, string name, Stream? content, CancellationToken ct)
    {
        if (content is null)
        {
            items.Add(new BatchItem(name, null, $"The file is larger than {options.MaxFileBytes / (1024 * 1024)} MB, the most one image may be."));
            return;
        }

        using var buffer = new MemoryStream();
        if (!await CopyBoundedAsync(content, buffer, options.MaxFileBytes, ct))
        {
            // Too big for one image; a zip may be larger, so spool and look again.
            await AddLargeAsync(items, name, buffer, content, ct);
            return;
        }

        if (IsZip(buffer))
        {
            buffer.Position = 0;
            await AddArchiveAsync(items, name, buffer, ct);
            return;
        }

        items.Add(await StoreAsync(name, buffer, ct));
    }

    private async Task AddLargeAsync(List<BatchItem> items, string name, MemoryStream head, Stream rest, CancellationToken ct)
    {
        if (!IsZip(head))
        {
            items.Add(new BatchItem(name, null, $"The file is larger than {options.MaxFileBytes / (1024 * 1024)} MB, the most one image may be."));
            return;
        }

        var path = Path.Combine(string.IsNullOrEmpty(options.TempDirectory) ? Path.GetTempPath() : options.TempDirectory, "diyml-batch-" + Guid.NewGuid().ToString("N") + ".zip");
        await using var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        head.Position = 0;
        await head.CopyToAsync(spool, ct);
        await rest.CopyToAsync(spool, ct);
        spool.Position = 0;
        await AddArchiveAsync(items, name, spool, ct);
    }

    private async Task AddArchiveAsync(List<BatchItem> items, string archiveName, Stream zip, CancellationToken ct)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            items.Add(new BatchItem(archiveName, null, "The zip archive is damaged or incomplete and could not be opened."));
            return;
        }

        using (archive)
        {
            long unpacked = 0;
            foreach (var entry in archive.Entries)
            {
                var name = PredictionService.DisplayName(entry.FullName);
                if (entry.FullName.EndsWith('/') || entry.FullName.Contains("__MACOSX", StringComparison.Ordinal) || name.StartsWith('.'))
                {
                    continue;
                }

                if (items.Count >= options.MaxZipEntries)
                {
                    items.Add(new BatchItem(archiveName, null, $"Only the first {options.MaxZipEntries:N0} images were taken."));
                    return;
                }

                using var buffer = new MemoryStream();
                bool fits;
                try
                {
                    await using var entryStream = entry.Open();
                    fits = await CopyBoundedAsync(entryStream, buffer, Math.Min(options.MaxFileBytes, options.MaxZipUncompressedBytes - unpacked), ct);
                }
                catch (InvalidDataException)
                {
                    items.Add(new BatchItem(name, null, "This entry of the archive is damaged and could not be unpacked."));
                    continue;
                }

                unpacked += buffer.Length;
                if (!fits)
                {
                    items.Add(new BatchItem(name, null, unpacked >= options.MaxZipUncompressedBytes
                        ? "The archive unpacks to more than allowed; the rest was not read."
                        : $"The file is larger than {options.MaxFileBytes / (1024 * 1024)} MB, the most one image may be."));
                    if (unpacked >= options.MaxZipUncompressedBytes)
                    {
                        return;
                    }

                    continue;
                }

                items.Add(IsZip(buffer) ? new BatchItem(name, null, "Archives inside archives are not unpacked.") : await StoreAsync(name, buffer, ct));
            }
        }
    }

    private async Task<BatchItem> StoreAsync(string name, MemoryStream buffer, CancellationToken ct)
    {
        if (buffer.Length == 0)
        {
            return new BatchItem(name, null, "The file is empty.");
        }

        buffer.Position = 0;
        var blob = await blobs.PutAsync(buffer, ct);
        return new BatchItem(name, blob.Sha256, null);
    }

    private static bool IsZip(MemoryStream buffer) =>
        buffer.Length >= 4 && buffer.GetBuffer() is [0x50, 0x4B, 0x03 or 0x05, 0x04 or 0x06, ..];

    // False when the source holds more than the limit (what was read so far stays in the target).
    private static async Task<bool> CopyBoundedAsync(Stream source, MemoryStream target, long limit, CancellationToken ct)
    {
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, ct)) > 0)
        {
            if (target.Length + read > limit)
            {
                return false;
            }

            target.Write(chunk, 0, read);
        }

        return true;
    }
}
