using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Models;
using DiyMl.Domain.Training;

namespace DiyMl.Domain.Predictions;

/// <summary>A class the model proposes for one unlabelled picture, and how sure it is (0..1).</summary>
public sealed record LabelSuggestion(string ImageId, string Label, double Confidence);

/// <summary>Suggestions for a dataset's unlabelled pictures, surest first, and the model that made them.</summary>
public sealed record LabelSuggestions(string ModelId, string ModelName, IReadOnlyList<LabelSuggestion> Items, long Unlabelled);

/// <summary>
/// "Label for me": the latest model trained from a dataset (or one the person picks) proposes a
/// class for each unlabelled picture. Only classes the dataset still has are proposed, so
/// accepting a suggestion through the ordinary relabel path never invents a class.
/// </summary>
public sealed class LabelSuggestionService(
    IImageStore images,
    IBlobStore blobs,
    ITrainedModelStore models,
    IModelPredictor predictor,
    DatasetMutations mutations)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = GalleryService.MaxPageSize;

    // Enough images per predictor call to keep both cores busy, few enough to stop soon on cancel.
    private const int Batch = 16;

    public async Task<LabelSuggestions> SuggestAsync(string userId, string datasetId, string? modelId, int? limit, CancellationToken ct = default)
    {
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            throw new DomainValidationException("limit", $"Ask for between 1 and {MaxLimit} suggestions at a time.");
        }

        var dataset = await mutations.LoadOwnedAsync(userId, datasetId, ct);
        var model = await ChooseModelAsync(userId, dataset.Id, modelId, ct);
        var page = await images.QueryAsync(new ImageQuery(dataset.Id, UnlabelledOnly: true, Take: take), ct);

        var suggestions = new List<LabelSuggestion>(page.Items.Count);
        foreach (var chunk in page.Items.Chunk(Batch))
        {
            var contents = new List<ReadOnlyMemory<byte>>(chunk.Length);
            var readable = new List<ImageAsset>(chunk.Length);
            foreach (var image in chunk)
            {
                if (await blobs.ReadAllBytesAsync(image.Sha256, ct) is { } bytes)
                {
                    contents.Add(bytes);
                    readable.Add(image);
                }
            }

            var outcomes = await predictor.PredictAsync(ModelService.HandleOf(model), contents, ct);
            for (var i = 0; i < readable.Count; i++)
            {
                if (Best(outcomes[i].Scores, dataset.Classes) is { } best)
                {
                    suggestions.Add(new LabelSuggestion(readable[i].Id, best.Label, best.Score));
                }
            }
        }

        var ordered = suggestions.OrderByDescending(s => s.Confidence).ThenBy(s => s.ImageId, StringComparer.Ordinal).ToList();
        return new LabelSuggestions(model.Id, model.Name, ordered, page.Total);
    }

    private async Task<TrainedModel> ChooseModelAsync(string userId, string datasetId, string? modelId, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(modelId))
        {
            var chosen = Ids.IsValid(modelId) ? await models.GetAsync(modelId, ct) : null;
            return chosen.EnsureOwnedBy(userId, "Model", modelId);
        }

        // Newest first; a person rarely has more than a page of models for one dataset.
        var mine = await models.ListByOwnerAsync(userId, 0, 200, ct);
        return mine.Items.FirstOrDefault(m => m.DatasetId == datasetId)
            ?? throw new DomainValidationException("modelId", "Train a model on this dataset first: suggestions come from its latest model.");
    }

    /// <summary>The surest class that the dataset still has (a class may have been renamed since training).</summary>
    private static ScoredLabel? Best(IReadOnlyList<ScoredLabel>? scores, IReadOnlyList<string> classes)
    {
        foreach (var scored in scores ?? [])
        {
            if (ClassNames.FindExisting(classes, scored.Label) is { } existing)
            {
                return scored with { Label = existing };
            }
        }

        return null;
    }

}
