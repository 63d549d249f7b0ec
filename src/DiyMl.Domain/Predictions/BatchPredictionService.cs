using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;
using DiyMl.Domain.Quotas;

namespace DiyMl.Domain.Predictions;

/// <summary>One image waiting in a prediction job: its stored content, or why it was refused at upload.</summary>
public sealed record BatchItem(string FileName, string? Sha256, string? Error);

/// <summary>What a prediction job needs to run: who asked (for the usage record), top-k and the images.</summary>
public sealed record BatchPredictionInput(string CallerUserId, PredictionChannel Channel, string? ApiKeyId, int K, IReadOnlyList<BatchItem> Items);

/// <summary>A finished prediction job: where its answers are stored and the counts.</summary>
public sealed record BatchPredictionResult(string ResultSha256, int Images, int Answered, int Failed);

/// <summary>
/// Starts prediction jobs over many images or zip archives of images. The whole request is checked
/// before anything is stored (<see cref="BatchStaging"/>): entry counts from the zip directories,
/// sizes, inflated bytes and picture content; a refused request stores nothing. Then the pictures'
/// bytes are reserved on the owner's quota, stored as blobs and the job is created; a failure on
/// the way takes back the reservation (its blobs, unreferenced, go with the sweeper). The stored uploads keep counting
/// against the quota while the job exists.
/// </summary>
public sealed class BatchPredictionService(
    PredictionService predictions,
    IBlobStore blobs,
    IImageInspector inspector,
    QuotaService quota,
    DatasetOptions options,
    JobService jobs)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The model this caller may start a job on (404 otherwise), before the body is read.</summary>
    public Task<TrainedModel> ResolveAsync(PredictionCaller caller, string modelId, CancellationToken ct = default) =>
        predictions.ResolveAsync(caller, modelId, ct);

    public async Task<Job> StartAsync(PredictionCaller caller, string modelId, IReadOnlyList<PredictionFile> files, int? k, CancellationToken ct = default)
    {
        var model = await predictions.ResolveAsync(caller, modelId, ct);
        var topK = PredictionService.CheckTopK(k);
        if (files.Count == 0)
        {
            throw new DomainValidationException("files", "Send images or zip archives of images in the multipart field 'files'.");
        }

        await using var staging = await BatchStaging.CreateAsync(inspector, options, files, ct);
        if (staging.StagedBytes == 0)
        {
            throw new UnusableUploadException(staging.Items);
        }

        var reservation = await quota.TryReserveAsync(caller.UserId, staging.StagedBytes, ct)
            ?? throw new LimitExceededException(
                $"These pictures ({Sizes.Format(staging.StagedBytes)}) do not fit in the storage quota of {Sizes.Format(options.QuotaBytesPerUser)}; nothing was stored. Delete images, datasets or finished prediction jobs you no longer need.");
        var written = new WrittenBlobs(blobs);
        try
        {
            var items = await staging.StoreAsync(written, ct);
            var input = new BatchPredictionInput(caller.UserId, caller.Channel, caller.ApiKeyId, topK, items);
            var job = await jobs.CreateAsync(caller.UserId, JobRequest.Of(JobKind.BatchPrediction, input, modelId: model.Id), ct);
            await quota.SettleAsHoldAsync(reservation, job.Id);
            return job;
        }
        catch
        {
            await written.RollBackAsync();
            await quota.ReleaseAsync(reservation);
            throw;
        }
    }
}
