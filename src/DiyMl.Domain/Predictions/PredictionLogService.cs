using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Models;
using DiyMl.Domain.Quotas;

namespace DiyMl.Domain.Predictions;

/// <summary>
/// "Learn from mistakes": keeps the pictures a model is asked about while its owner has switched
/// that on, lists them (newest or least sure first) and files chosen ones into a dataset through
/// the ordinary upload path, so they get the same checks, duplicate detection and quota.
/// </summary>
public sealed class PredictionLogService(
    IKeptPredictionStore store,
    IBlobStore blobs,
    QuotaService quota,
    ITrainedModelStore models,
    ImageIngestService ingest,
    PredictionLogOptions options,
    TimeProvider clock)
{
    public const int MaxPageSize = 200;
    public const int MaxFilePerRequest = 500;

    /// <summary>
    /// Keeps one answered picture when the model's switch is on and the owner still has room;
    /// returns the kept prediction's id, or null when nothing was kept.
    /// </summary>
    public async Task<string?> KeepAsync(TrainedModel model, PredictionChannel channel, ImagePrediction answer, byte[] content, CancellationToken ct)
    {
        if (!model.KeepPredictionImages || answer.Error is not null || answer.Label is null)
        {
            return null;
        }

        // Kept pictures count against the owner's quota (reserved first, so parallel answers cannot
        // pass it); a full quota keeps answering, just not keeping.
        if (await quota.TryReserveAsync(model.OwnerId, content.Length, ct) is not { } reservation)
        {
            return null;
        }

        try
        {
            return await StoreAsync(model, channel, answer, content, ct);
        }
        finally
        {
            await quota.SettleAsync(reservation);
        }
    }

    private async Task<string> StoreAsync(TrainedModel model, PredictionChannel channel, ImagePrediction answer, byte[] content, CancellationToken ct)
    {
        var blob = await blobs.PutAsync(new MemoryStream(content, writable: false), ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var kept = new KeptPrediction
        {
            Id = Ids.New(),
            OwnerId = model.OwnerId,
            ModelId = model.Id,
            Sha256 = blob.Sha256,
            Bytes = blob.Length,
            Format = ImageFormats.Sniff(content),
            FileName = answer.FileName,
            Label = answer.Label!,
            Confidence = answer.Confidence ?? 0,
            Uncertain = answer.Uncertain ?? false,
            Channel = channel,
            CreatedAt = now,
            ExpiresAt = now.AddDays(options.KeepDays),
        };
        await store.InsertAsync(kept, ct);
        return kept.Id;
    }

    public async Task<Page<KeptPrediction>> ListAsync(string userId, string modelId, bool? uncertain, PredictionLogOrder order, int page, int pageSize, CancellationToken ct = default)
    {
        var model = (Ids.IsValid(modelId) ? await models.GetAsync(modelId, ct) : null).EnsureOwnedBy(userId, "Model", modelId);
        if (page < 1)
        {
            throw new DomainValidationException("page", "Pages are numbered from 1.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new DomainValidationException("pageSize", $"A page holds between 1 and {MaxPageSize} predictions.");
        }

        return await store.QueryAsync(model.Id, uncertain, order, clock.GetUtcNow().UtcDateTime, (page - 1) * pageSize, pageSize, ct);
    }

    public async Task<ImageContent> OpenAsync(string userId, string modelId, string predictionId, CancellationToken ct = default)
    {
        var kept = await GetOwnedAsync(userId, predictionId, ct);
        if (kept.ModelId != modelId)
        {
            throw new NotFoundException("Prediction", predictionId);
        }

        var content = await blobs.OpenReadAsync(kept.Sha256, ct) ?? throw new NotFoundException("Prediction", predictionId);
        return new ImageContent(content, ImageFormats.ContentType(kept.Format), kept.Sha256);
    }

    /// <summary>Files kept pictures into a class of a dataset; each gets the upload's own verdict.</summary>
    public async Task<IngestReport> FileIntoDatasetAsync(string userId, string datasetId, IReadOnlyCollection<string> predictionIds, string? label, CancellationToken ct = default)
    {
        if (predictionIds.Count == 0 || predictionIds.Count > MaxFilePerRequest)
        {
            throw new DomainValidationException("predictionIds", $"Name between 1 and {MaxFilePerRequest} kept predictions.");
        }

        var className = ClassNames.Validate(label, "label");
        var kept = new List<KeptPrediction>(predictionIds.Count);
        foreach (var id in predictionIds.Distinct(StringComparer.Ordinal))
        {
            // Every id is checked before anything is added: one stranger's id refuses the whole request.
            kept.Add(await GetOwnedAsync(userId, id, ct));
        }

        var session = await ingest.BeginAsync(userId, datasetId, ct);
        await using (session)
        {
            foreach (var prediction in kept)
            {
                await using var content = await blobs.OpenReadAsync(prediction.Sha256, ct);
                if (content is null)
                {
                    continue;
                }

                await session.AddAsync(prediction.FileName, content, className, ct);
            }
        }

        return session.Report;
    }

    private async Task<KeptPrediction> GetOwnedAsync(string userId, string predictionId, CancellationToken ct)
    {
        var kept = Ids.IsValid(predictionId) ? await store.GetAsync(predictionId, ct) : null;
        if (kept is not null && kept.ExpiresAt <= clock.GetUtcNow().UtcDateTime)
        {
            kept = null;
        }

        return kept.EnsureOwnedBy(userId, "Prediction", predictionId);
    }
}
