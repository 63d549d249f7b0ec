using System.Globalization;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;

namespace DiyMl.Domain.Testing;

/// <summary>A zip of test pictures turned into a test set, ready to test the model on.</summary>
public sealed record PreparedArchiveTest(string UserId, TrainedModel Model, Dataset Dataset, IngestReport Upload);

/// <summary>A test started from a zip: the job, the dataset made for it and what happened to each file.</summary>
public sealed record ArchiveTestStart(Job Job, Dataset Dataset, IngestReport Upload);

/// <summary>
/// Tests a model on a zip of labelled folders (one folder per class) without making a dataset by
/// hand: the zip becomes a new test set (a dataset with Purpose = Test, never offered for training) through the ordinary upload path (same checks, same
/// limits), then the ordinary test job runs on it. Either the test starts or nothing is left
/// behind: a zip without one usable labelled picture deletes the dataset it had begun.
/// </summary>
public sealed class ArchiveTestService(
    ITrainedModelStore models,
    DatasetService datasets,
    ImageIngestService ingest,
    ModelTestService tests,
    TimeProvider clock)
{
    private const int ModelNameInDatasetName = 60;

    public async Task<ArchiveTestStart> StartAsync(string userId, string modelId, string fileName, Stream content, CancellationToken ct = default)
    {
        var prepared = await PrepareAsync(userId, modelId, fileName, content, ct);
        var job = await StartAsync(prepared, ct);
        return new ArchiveTestStart(job, prepared.Dataset, prepared.Upload);
    }

    /// <summary>Checks the model and the file, then stores the zip's pictures in a new dataset of the caller's.</summary>
    public async Task<PreparedArchiveTest> PrepareAsync(string userId, string modelId, string fileName, Stream content, CancellationToken ct = default)
    {
        var model = (Ids.IsValid(modelId) ? await models.GetAsync(modelId, ct) : null).EnsureOwnedBy(userId, "Model", modelId);
        var name = ArchivePaths.DisplayName(fileName);
        var head = new byte[4];
        var headLength = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (!ArchivePaths.LooksLikeZip(head.AsSpan(0, headLength)))
        {
            throw new DomainValidationException("file",
                $"'{name}' is not a zip archive. Put the test pictures in one folder per class (the folder name is the class), zip the folders and send that zip.");
        }

        // A short name a person can read in a list; the model it tests is in the description.
        var now = clock.GetUtcNow().UtcDateTime;
        var modelName = model.Name.Length <= ModelNameInDatasetName ? model.Name : model.Name[..ModelNameInDatasetName] + "…";
        var dataset = await datasets.CreateAsync(
            userId,
            $"Test pictures · {now.ToString("d MMM", CultureInfo.InvariantCulture)}",
            $"Made from '{name}' to test the model '{modelName}'. Kept for the test's results; it is not offered for training unless you turn it into a dataset.",
            ct);
        try
        {
            await datasets.SetPurposeAsync(userId, dataset.Id, DatasetPurpose.Test, ct);
            var upload = await ingest.IngestAsync(userId, dataset.Id, [(name, new PrefixedStream(head.AsMemory(0, headLength), content))], label: null, ct);
            EnsureUsable(upload);
            return new PreparedArchiveTest(userId, model, dataset, upload);
        }
        catch
        {
            await DiscardAsync(userId, dataset.Id);
            throw;
        }
    }

    /// <summary>Starts the test job on a prepared dataset; if it cannot start, the dataset goes.</summary>
    public async Task<Job> StartAsync(PreparedArchiveTest prepared, CancellationToken ct = default)
    {
        try
        {
            return await tests.StartAsync(prepared.UserId, prepared.Model.Id, prepared.Dataset.Id, ct);
        }
        catch
        {
            await DiscardAsync(prepared.UserId, prepared.Dataset.Id);
            throw;
        }
    }

    /// <summary>Deletes a prepared dataset whose test will not run (the request turned out bad after the zip).</summary>
    public Task DiscardAsync(PreparedArchiveTest prepared) => DiscardAsync(prepared.UserId, prepared.Dataset.Id);

    // Runs whatever the request's token says: a cancelled upload must not leave a half-filled dataset.
    private async Task DiscardAsync(string userId, string datasetId)
    {
        try
        {
            await datasets.DeleteAsync(userId, datasetId, CancellationToken.None);
        }
        catch (NotFoundException)
        {
            // already gone
        }
    }

    private static void EnsureUsable(IngestReport upload)
    {
        var usable = upload.Files.Count(f => f.Status != IngestStatus.Rejected && f.Label is not null);
        if (usable > 0)
        {
            return;
        }

        if (upload.QuotaExceeded)
        {
            throw new LimitExceededException("Your storage quota is full; nothing was stored. Delete images or datasets you no longer need, then try again.");
        }

        var unlabelled = upload.Files.Count(f => f.Status != IngestStatus.Rejected);
        var rejected = upload.Files.Where(f => f.Status == IngestStatus.Rejected).ToList();
        var message = unlabelled > 0
            ? $"The zip holds {unlabelled} picture(s) but none inside a class folder, so there is nothing to compare the model's answers with."
            : rejected.Count == 0
                ? "The zip holds no pictures."
                : $"None of the {rejected.Count} file(s) in the zip is a usable picture: "
                  + string.Join("; ", rejected.Take(3).Select(r => $"{r.FileName}: {r.Reason}")) + (rejected.Count > 3 ? "; …" : ".");
        throw new DomainValidationException("file",
            message + " Put each class's pictures in a folder named after the class (for example cat/1.jpg and dog/2.jpg), zip the folders and send that zip.");
    }
}
