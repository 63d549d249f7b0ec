using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Models;
using DiyMl.Domain.Publishing;
using DiyMl.Domain.Training;

namespace DiyMl.Domain.Predictions;

/// <summary>
/// Answers images with a trained model. Each file is checked by the same rules as a dataset
/// upload (size, real image content, pixel count, not truncated); a bad file gets its own error and
/// the others are still answered. Every answer is recorded for the model owner's usage report.
/// </summary>
public sealed class PredictionService(
    ITrainedModelStore models,
    IPublicationStore publications,
    IModelPredictor predictor,
    IImageInspector inspector,
    DatasetOptions options,
    IPredictionRecorder recorder,
    PredictionLogService log,
    TimeProvider clock)
{
    public const int DefaultTopK = 3;
    public const int MaxTopK = 50;
    public const int MaxFilesPerRequest = 100;

    // The inspector always makes a thumbnail; predictions never keep it, so keep it tiny.
    private const int ThumbnailSide = 32;

    /// <summary>
    /// The model a caller may predict with. Owners may use any of their models. A script with an
    /// API key may use a model only while it is published; otherwise it is told the model does not
    /// exist (404), the same answer as for any id it may not see, so keys cannot probe for models.
    /// </summary>
    public async Task<TrainedModel> ResolveAsync(PredictionCaller caller, string modelId, CancellationToken ct = default)
    {
        var model = Ids.IsValid(modelId) ? await models.GetAsync(modelId, ct) : null;
        if (caller.Channel == PredictionChannel.ApiKey)
        {
            return model is not null && await publications.FindByModelAsync(model.Id, ct) is not null
                ? model
                : throw new NotFoundException("Model", modelId);
        }

        return model.EnsureOwnedBy(caller.UserId, "Model", modelId);
    }

    /// <summary>The model a publication answers with right now (its name may have moved to a newer version).</summary>
    public async Task<TrainedModel> ResolvePublicationAsync(PredictionCaller caller, string publicationId, CancellationToken ct = default)
    {
        var publication = await publications.GetAsync(publicationId, ct);
        if (publication is null || (caller.Channel != PredictionChannel.ApiKey && publication.OwnerId != caller.UserId))
        {
            throw new NotFoundException("Published model", publicationId);
        }

        return await models.GetAsync(publication.ModelId, ct) ?? throw new NotFoundException("Published model", publicationId);
    }

    public async Task<IReadOnlyList<ImagePrediction>> PredictAsync(
        PredictionCaller caller, string modelId, IReadOnlyList<PredictionFile> files, int? k, CancellationToken ct = default)
    {
        var model = await ResolveAsync(caller, modelId, ct);
        return await PredictWithAsync(caller, model, files, k, ct);
    }

    /// <summary>Answers files with a model already resolved for this caller.</summary>
    public async Task<IReadOnlyList<ImagePrediction>> PredictWithAsync(
        PredictionCaller caller, TrainedModel model, IReadOnlyList<PredictionFile> files, int? k, CancellationToken ct = default)
    {
        var topK = CheckTopK(k);
        if (files.Count == 0)
        {
            throw new DomainValidationException("files", "Send at least one image in the multipart field 'files'.");
        }

        if (files.Count > MaxFilesPerRequest)
        {
            throw new DomainValidationException("files", $"At most {MaxFilesPerRequest} images per request; use a prediction job for more.");
        }

        var answers = new List<ImagePrediction>(files.Count);
        var records = new List<PredictionRecord>(files.Count);
        foreach (var file in files)
        {
            var started = clock.GetTimestamp();
            var content = await ReadAsync(file.Content, ct);
            var (answer, scores) = await AnswerAsync(model, DisplayName(file.FileName), content, topK, ct);
            if (scores is not null)
            {
                records.Add(Record(caller, model, answer, clock.GetElapsedTime(started).TotalMilliseconds));
                answer = answer with { PredictionId = await log.KeepAsync(model, caller.Channel, answer, content!, ct) };
            }

            answers.Add(answer);
        }

        await recorder.EnqueueAsync(records, ct);
        return answers;
    }

    /// <summary>Answers one image already in memory; used by prediction jobs, which record in bulk.</summary>
    public async Task<(ImagePrediction Answer, IReadOnlyList<ScoredLabel>? Scores)> AnswerAsync(
        TrainedModel model, string fileName, byte[]? content, int topK, CancellationToken ct)
    {
        if (content is null)
        {
            return (ImagePrediction.Failed(fileName, $"The file is larger than {options.MaxFileBytes / (1024 * 1024)} MB, the most one image may be."), null);
        }

        if (content.Length == 0)
        {
            return (ImagePrediction.Failed(fileName, "The file is empty."), null);
        }

        var inspection = inspector.Inspect(content, options.MaxPixels, ThumbnailSide);
        if (!inspection.IsAccepted)
        {
            return (ImagePrediction.Failed(fileName, inspection.Rejection!), null);
        }

        var outcome = (await predictor.PredictAsync(ModelService.HandleOf(model), [content], ct))[0];
        if (outcome.Scores is not { Count: > 0 } scores)
        {
            return (ImagePrediction.Failed(fileName, outcome.Error ?? "The model could not read this image."), null);
        }

        var best = scores[0];
        var answer = new ImagePrediction(fileName, best.Label, best.Score, best.Score < model.UncertaintyThreshold, [.. scores.Take(topK)], null);
        return (answer, scores);
    }

    public PredictionRecord Record(PredictionCaller caller, TrainedModel model, ImagePrediction answer, double latencyMs) => new()
    {
        OwnerId = model.OwnerId,
        ModelId = model.Id,
        At = clock.GetUtcNow().UtcDateTime,
        CallerId = caller.CallerId,
        Channel = caller.Channel,
        LatencyMs = latencyMs,
        Label = answer.Label ?? "",
        Confidence = answer.Confidence ?? 0,
        Uncertain = answer.Uncertain ?? false,
    };

    public static int CheckTopK(int? k) => k switch
    {
        null => DefaultTopK,
        >= 1 and <= MaxTopK => k.Value,
        _ => throw new DomainValidationException("k", $"k must be between 1 and {MaxTopK}."),
    };

    /// <summary>File names are display text only: the last path segment, control characters removed.</summary>
    public static string DisplayName(string? fileName)
    {
        var name = (fileName ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = new string([.. name.Where(c => !char.IsControl(c))]).Trim();
        return name.Length == 0 ? "image" : name.Length > 255 ? name[..255] : name;
    }

    /// <summary>Reads at most the per-image limit; null when the file is larger.</summary>
    private async Task<byte[]?> ReadAsync(Stream? content, CancellationToken ct)
    {
        if (content is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > options.MaxFileBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
