using System.Collections.Concurrent;
using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using Microsoft.ML;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Predicts with stored models. A model is read from the blob store and loaded once per id;
/// concurrent first requests share one load. Each image is featurized exactly as in training;
/// one bad image gets its own error and the others are still answered.
/// </summary>
public sealed class MlModelPredictor(IBlobStore blobs, Lazy<ResNetFeaturizer> resnet) : IModelPredictor
{
    private readonly ConcurrentDictionary<string, Lazy<Task<LoadedModel>>> _models = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<PredictionOutcome>> PredictAsync(ModelHandle model, IReadOnlyList<ReadOnlyMemory<byte>> images, CancellationToken ct)
    {
        var loaded = await GetAsync(model, ct);
        var spec = loaded.Metadata.Spec;
        var outcomes = new List<PredictionOutcome>(images.Count);
        for (var i = 0; i < images.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var name = $"#{i + 1}";
            try
            {
                // Each model is featurized in the space its head was fitted in (v1 models keep v1).
                var features = spec.Transfer
                    ? resnet.Value.Featurize(images[i].Span, false, name, featurizer: spec.Featurizer!)
                    : PixelFeatures.Compute(images[i].Span, spec.PixelSize, spec.Colour, false, name);
                outcomes.Add(new PredictionOutcome(loaded.Score(features), null));
            }
            catch (ImageDecodeException ex)
            {
                outcomes.Add(new PredictionOutcome(null, ex.Message));
            }
        }

        return outcomes;
    }

    public void Evict(string modelId) => _models.TryRemove(modelId, out _);

    internal Task<LoadedModel> GetAsync(ModelHandle model, CancellationToken ct)
    {
        var lazy = _models.GetOrAdd(model.ModelId, _ => new Lazy<Task<LoadedModel>>(() => LoadAsync(model)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed load is not cached: the blob may be back, or the error transient.
            _models.TryRemove(new KeyValuePair<string, Lazy<Task<LoadedModel>>>(model.ModelId, lazy));
        }

        return task.WaitAsync(ct);
    }

    private async Task<LoadedModel> LoadAsync(ModelHandle model)
    {
        await using var stream = await blobs.OpenReadAsync(model.ArtifactSha256)
            ?? throw new NotFoundException("Model file", model.ModelId);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        buffer.Position = 0;
        var ml = new MLContext(seed: 0);
        var (metadata, head) = ModelPackage.Read(ml, buffer);
        return new LoadedModel(ml, metadata, head);
    }
}
