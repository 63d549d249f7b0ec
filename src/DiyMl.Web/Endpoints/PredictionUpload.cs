using System.Globalization;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Predictions;

namespace DiyMl.Web.Endpoints;

/// <summary>The files and the optional <c>k</c> field of a prediction request, read by <see cref="MultipartUpload"/>.</summary>
internal sealed class PredictionForm : IAsyncDisposable
{
    public List<PredictionFile> Files { get; } = [];

    public int? K { get; set; }

    public async ValueTask DisposeAsync()
    {
        foreach (var file in Files)
        {
            if (file.Content is not null)
            {
                await file.Content.DisposeAsync();
            }
        }
    }

    public void Field(string name, string value)
    {
        if (name == "k")
        {
            K = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k)
                ? k
                : throw new DomainValidationException("k", "k must be a whole number.");
        }
    }
}

/// <summary>How the prediction routes read their bodies: in memory for a direct answer, spooled to disk for a job.</summary>
internal static class PredictionUpload
{
    /// <summary>
    /// A direct prediction answers at most <see cref="PredictionService.MaxFilesPerRequest"/> images
    /// while the caller waits, so its body is small: each file is kept in memory up to the per-image
    /// limit (a larger one is answered as too large without keeping it) and the body is capped.
    /// </summary>
    public static async Task<PredictionForm> ReadInMemoryAsync(HttpContext http, DatasetOptions options, CancellationToken ct)
    {
        var form = new PredictionForm();
        await MultipartUpload.ReadAsync(http, options.MaxPredictionRequestBytes, async file =>
        {
            if (form.Files.Count >= PredictionService.MaxFilesPerRequest)
            {
                throw new DomainValidationException("files", $"At most {PredictionService.MaxFilesPerRequest} images per request; use a prediction job for more.");
            }

            var buffer = new MemoryStream();
            form.Files.Add(new PredictionFile(file.FileName, await CopyBoundedAsync(file.Body, buffer, options.MaxFileBytes, ct) ? Rewound(buffer) : null));
        }, form.Field, ct);
        return form;
    }

    /// <summary>
    /// A prediction job may take thousands of images or large zips: each file is spooled to a
    /// temporary file deleted on close, never to the blob store, so the service can check the whole
    /// request (entry counts, sizes, quota) before it stores anything.
    /// </summary>
    public static async Task<PredictionForm> SpoolAsync(HttpContext http, DatasetOptions options, CancellationToken ct)
    {
        var form = new PredictionForm();
        try
        {
            var directory = string.IsNullOrEmpty(options.TempDirectory) ? Path.GetTempPath() : options.TempDirectory;
            Directory.CreateDirectory(directory);
            await MultipartUpload.ReadAsync(http, options.MaxUploadBytes, async file =>
            {
                var spool = new FileStream(Path.Combine(directory, "diyml-batch-" + Guid.NewGuid().ToString("N") + ".part"), FileMode.CreateNew,
                    FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                form.Files.Add(new PredictionFile(file.FileName, spool));
                await file.Body.CopyToAsync(spool, ct);
                spool.Position = 0;
            }, form.Field, ct);
            return form;
        }
        catch
        {
            await form.DisposeAsync();
            throw;
        }
    }

    private static MemoryStream Rewound(MemoryStream buffer)
    {
        buffer.Position = 0;
        return buffer;
    }

    // False when the source holds more than the limit; the rest of the part is skipped by the reader.
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
