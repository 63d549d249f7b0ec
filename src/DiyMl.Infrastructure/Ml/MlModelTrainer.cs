using System.Diagnostics;
using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using Microsoft.ML;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Trains every catalog model type: featurize (cached, chunked, cancellable), fit the head on a
/// fresh seeded MLContext (cancellable through CancelExecution), evaluate on the validation split,
/// and package the head with its metadata.
/// </summary>
public sealed class MlModelTrainer(IBlobStore blobs, Lazy<ResNetFeaturizer> resnet, FeatureCache cache) : IModelTrainer
{
    private readonly FeatureExtractor _extractor = new(blobs, resnet, cache);

    public async Task<TrainedArtifact> TrainAsync(TrainingInput input, IProgress<TrainingProgressUpdate> progress, CancellationToken ct)
    {
        var (type, parameters) = ModelCatalog.Resolve(input.ModelTypeId, input.Parameters);
        var classes = input.Train.Select(i => i.Label).Concat(input.Validation.Select(i => i.Label))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (classes.Count < 2 || input.Train.Select(i => i.Label).Distinct(StringComparer.Ordinal).Count() < 2)
        {
            throw new DomainValidationException("dataset", "Training needs at least two classes with images in the training split.");
        }

        var spec = FeatureSpec.For(type.Id, parameters);
        var flip = parameters[ModelCatalog.AugmentFlip] >= 1;
        var requests = input.Train.Select(i => new FeatureRequest(i, false))
            .Concat(flip ? input.Train.Select(i => new FeatureRequest(i, true)) : [])
            .Concat(input.Validation.Select(i => new FeatureRequest(i, false)))
            .ToList();
        var stages = new Dictionary<string, double>();

        var watch = Stopwatch.StartNew();
        var (features, hits) = await _extractor.ExtractAsync(requests, spec, progress, ct);
        stages["featurizing"] = watch.Elapsed.TotalSeconds;

        var trainCount = requests.Count - input.Validation.Count;
        var rows = requests.Select((r, i) => new FeatureRow { Label = r.Image.Label, Features = features[i] }).ToList();
        var session = new HeadSession(input.Seed, spec, classes);
        var train = session.Load(rows.Take(trainCount));

        progress.Report(new TrainingProgressUpdate("Fitting", 0, 1));
        watch.Restart();
        var chosen = new Dictionary<string, double>();
        var l2 = type.Id == ModelCatalog.ResNetLbfgs ? parameters["l2"] : 0;
        if (HeadFactory.ChoosesL2(type.Id, parameters))
        {
            l2 = session.ChooseL2(train, type.Id, parameters, trainCount, ct);
            chosen["l2"] = l2;
        }

        var estimator = HeadFactory.Create(session.Ml, type.Id, parameters, l2, trainCount, classes.Count, input.Seed);
        var head = MlCancellation.Run(session.Ml, () => estimator.Fit(train), ct);
        stages["fitting"] = watch.Elapsed.TotalSeconds;
        progress.Report(new TrainingProgressUpdate("Fitting", 1, 1));

        progress.Report(new TrainingProgressUpdate("Evaluating", 0, input.Validation.Count));
        watch.Restart();
        var evaluation = input.Validation.Count == 0
            ? Evaluation.FromConfusion(classes, [.. classes.Select(_ => (IReadOnlyList<int>)new int[classes.Count])])
            : session.Evaluate(head, session.Load(rows.Skip(trainCount)), ct);
        var metadata = new ModelMetadata(ModelMetadata.CurrentFormat, type.Id, spec.Transfer ? ResNetFeaturizer.Version : null, classes, spec.PixelSize, spec.Colour, spec.FeatureCount);
        var package = ModelPackage.Write(session.Ml, metadata, head, train.Schema);
        stages["evaluating"] = watch.Elapsed.TotalSeconds;
        progress.Report(new TrainingProgressUpdate("Evaluating", input.Validation.Count, input.Validation.Count));
        ct.ThrowIfCancellationRequested();

        return new TrainedArtifact(package, classes, evaluation, stages, LibraryVersions.All, hits, chosen);
    }
}
