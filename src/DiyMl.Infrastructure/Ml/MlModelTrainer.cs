using System.Diagnostics;
using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using Microsoft.ML;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Trains every catalog model type: featurize (cached, chunked, cancellable), fit the head on a
/// fresh seeded MLContext (cancellable through CancelExecution), evaluate on the validation split,
/// and package the head with its metadata.
/// </summary>
public sealed class MlModelTrainer(IBlobStore blobs, Lazy<ResNetFeaturizer> resnet, FeatureCache cache, IOptions<MlOptions>? options = null) : IModelTrainer
{
    private readonly NetworkPrecision _precision = options?.Value.Precision ?? new MlOptions().Precision;
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

        var spec = FeatureSpec.For(type.Id, parameters, _precision);
        var flip = parameters[ModelCatalog.AugmentFlip] >= 1;
        var requests = input.Train.Select(i => new FeatureRequest(i, false))
            .Concat(flip ? input.Train.Select(i => new FeatureRequest(i, true)) : [])
            .Concat(input.Validation.Select(i => new FeatureRequest(i, false)))
            .ToList();
        var stages = new Dictionary<string, double>();

        var watch = Stopwatch.StartNew();
        var (features, hits) = await _extractor.ExtractAsync(requests, spec, progress, ct);
        stages["featurizing"] = watch.Elapsed.TotalSeconds;

        var rows = requests.Select((r, i) => new FeatureRow { Label = r.Image.Label, Features = features[i] }).ToList();
        var trainCount = requests.Count - input.Validation.Count;
        var pictures = Enumerable.Range(0, trainCount).Select(i => i % input.Train.Count).ToList();
        var head = FitHead(new HeadInput(type.Id, parameters, spec, classes, input.Seed, rows, trainCount, pictures), progress, stages, ct);
        ct.ThrowIfCancellationRequested();
        return new TrainedArtifact(head.Package, classes, head.Evaluation, stages, LibraryVersions.All, hits, head.Chosen)
        {
            Temperature = head.Temperature,
            FinalTrainingImages = input.Train.Count + input.Validation.Count,
            FeatureSpace = spec.Featurizer,
            LearningCurve = head.Curve,
        };
    }

    /// <summary>
    /// Runs the ML.NET side of a training and a prediction once (L2 search, fit, evaluate,
    /// package, load, score) on a tiny made-up problem, so that a server's first real training
    /// does not also pay for compiling ML.NET's code (1-3 s on 2 cores). The ResNet18 network is
    /// left to load on first use: it would hold ~350 MB in a server that may only ever ingest.
    /// Returns the classes the warm-up model ranked for its probe, best first.
    /// </summary>
    internal IReadOnlyList<ScoredLabel> WarmUp(CancellationToken ct)
    {
        string[] classes = ["a", "b", "c"];
        var random = new Random(1);
        var (type, parameters) = ModelCatalog.Resolve(ModelCatalog.ResNetLbfgs, new Dictionary<string, double>());
        var spec = FeatureSpec.For(type.Id, parameters, _precision);
        var rows = Enumerable.Range(0, 36).Select(i => new FeatureRow
        {
            Label = classes[i % 3],
            Features = [.. Enumerable.Range(0, spec.FeatureCount).Select(f => (float)random.NextDouble() + (f % 3 == i % 3 ? 1f : 0f))],
        }).ToList();
        var head = FitHead(new HeadInput(type.Id, parameters, spec, classes, 1, rows, 27, [.. Enumerable.Range(0, 27)]), new Progress<TrainingProgressUpdate>(), [], ct);

        using var package = new MemoryStream(head.Package);
        var ml = new MLContext(seed: 0);
        var (metadata, loaded) = ModelPackage.Read(ml, package);
        return new LoadedModel(ml, metadata, loaded).Score(rows[0].Features);
    }

    /// <summary>
    /// Choose L2 and the calibration temperature by cross-validation on the training split,
    /// measure on the validation split, then refit on every picture: the stored model learned
    /// from all of them, the metrics describe the same recipe on pictures it had not seen.
    /// </summary>
    internal static FittedHead FitHead(HeadInput input, IProgress<TrainingProgressUpdate> progress, Dictionary<string, double> stages, CancellationToken ct)
    {
        var (typeId, parameters, spec, classes) = (input.ModelTypeId, input.Parameters, input.Spec, input.Classes);
        var session = new HeadSession(input.Seed, spec, classes);
        var trainRows = input.Rows.Take(input.TrainCount).ToList();
        var validationRows = input.Rows.Skip(input.TrainCount).ToList();
        var distinctPictures = input.Pictures.Distinct().Count();
        var mirrored = Enumerable.Range(0, input.TrainCount).Select(i => i >= distinctPictures).ToList();
        var folds = new CrossValidationRows(trainRows, input.Pictures, mirrored, input.Seed);

        var watch = Stopwatch.StartNew();
        var chosen = new Dictionary<string, double>();
        var l2 = typeId == ModelCatalog.ResNetLbfgs ? parameters["l2"] : 0;
        IEstimator<ITransformer> Estimator(int rows) => HeadFactory.Create(session.Ml, spec, typeId, parameters, l2, rows, classes.Count, input.Seed);
        if (HeadFactory.ChoosesL2(typeId, parameters))
        {
            (l2, _) = L2Search.Choose(session, folds, typeId, parameters, ct, progress: progress);
            chosen["l2"] = l2;
        }

        // The temperature is fitted on out-of-fold predictions of the final estimator, not on the
        // search's candidates: those stop at a looser tolerance on rescaled rows and are much less
        // sure than the stored model, so a temperature fitted on them sharpened it to 0.05 and made
        // every answer "100 % sure" (18 Fashion-MNIST pictures a class: OnnxEndToEndTests).
        var calibrationFolds = typeId == ModelCatalog.ResNetLightGbm
            ? new CrossValidationRows(trainRows, input.Pictures, mirrored, input.Seed, HeadFactory.LightGbmCalibrationFolds)
            : folds;
        var heldOut = L2Search.HeldOut(session, calibrationFolds, Estimator, ct);

        progress.Report(new TrainingProgressUpdate("Fitting", 0, 1));
        var temperature = Calibration.FitTemperature(heldOut);

        // The measured head (training split) and the stored one (every picture) do not depend on
        // each other: fitted side by side, each single-threaded, they cost one fit's wall time on
        // two cores instead of two. Same seed, same models: no trainer here draws from the context.
        var (train, all) = (session.LoadCached(trainRows), session.LoadCached(input.Rows));
        ITransformer head = null!, final = null!;
        MlCancellation.Run(session.Ml, () =>
        {
            Parallel.Invoke(
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                () => head = Estimator(input.TrainCount).Fit(train),
                () => final = validationRows.Count == 0 ? null! : Estimator(input.Rows.Count).Fit(all));
            return true;
        }, ct);
        final = validationRows.Count == 0 ? head : final;
        stages["fitting"] = watch.Elapsed.TotalSeconds;
        progress.Report(new TrainingProgressUpdate("Fitting", 1, 1));

        progress.Report(new TrainingProgressUpdate("Evaluating", 0, validationRows.Count));
        watch.Restart();
        var evaluation = validationRows.Count == 0
            ? Evaluation.FromConfusion(classes, [.. classes.Select(_ => (IReadOnlyList<int>)new int[classes.Count])])
            : session.Evaluate(head, validationRows, temperature, ct);
        stages["evaluating"] = watch.Elapsed.TotalSeconds;
        progress.Report(new TrainingProgressUpdate("Evaluating", validationRows.Count, validationRows.Count));
        // The curve's fits are only compared with each other and the model's own accuracy: the
        // search's looser tolerance ranks alike at a fraction of the passes (its largest cost in a retrain).
        IEstimator<ITransformer> CurveEstimator(int rows) => HeadFactory.Create(session.Ml, spec, typeId, parameters, l2, rows, classes.Count, input.Seed, ranking: true);
        var curve = LearningCurve.Measure(session, CurveEstimator, trainRows, input.Pictures, validationRows, evaluation.Accuracy, input.Seed, progress, stages, ct);

        watch.Restart();
        var metadata = new ModelMetadata(ModelMetadata.CurrentFormat, typeId, spec.Featurizer, classes, spec.PixelSize, spec.Colour, spec.FeatureCount)
        {
            Temperature = temperature,
        };
        var package = ModelPackage.Write(session.Ml, metadata, final, all.Schema);
        stages["refitting"] = watch.Elapsed.TotalSeconds;
        return new FittedHead(package, evaluation, chosen, temperature) { HeldOut = heldOut, Measured = head, Final = final, Session = session, Curve = curve };
    }

    internal sealed record HeadInput(
        string ModelTypeId, IReadOnlyDictionary<string, double> Parameters, FeatureSpec Spec, IReadOnlyList<string> Classes, int Seed, IReadOnlyList<FeatureRow> Rows, int TrainCount, IReadOnlyList<int> Pictures);

    /// <summary>The stored package and its metrics; the rest lets the calibration study (bench) look inside.</summary>
    internal sealed record FittedHead(byte[] Package, Evaluation Evaluation, Dictionary<string, double> Chosen, double Temperature)
    {
        public IReadOnlyList<(float[] Probabilities, int Label)> HeldOut { get; init; } = [];

        public ITransformer? Measured { get; init; }

        public ITransformer? Final { get; init; }

        public HeadSession? Session { get; init; }

        public IReadOnlyList<LearningCurvePoint> Curve { get; init; } = [];
    }
}
