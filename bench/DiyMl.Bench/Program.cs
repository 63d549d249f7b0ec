using System.Diagnostics;
using DiyMl.Bench;
using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Storage.LiteDb;
using DiyMl.Infrastructure.Tests.Ml;
using SkiaSharp;

// Usage: dotnet run -c Release --project bench/DiyMl.Bench [-- --quick] [--throughput-only | --training-only | --quality | --calibration [splits] | --training-time | --int8 | --int8-accuracy [splits] [--candidates] | --session-options] [--precision Int8|Fp32] [--default-model] [--write docs/benchmarks.md]
var quick = args.Contains("--quick");
var calibration = args.Contains("--calibration");
var trainingTime = args.Contains("--training-time");
var int8Only = args.Contains("--int8");
var defaultOnly = args.Contains("--default-model"); // --quality for the default model type only
// The network new models are trained on (Ml:Precision): --quality run once per precision compares them.
var precision = Enum.Parse<NetworkPrecision>(args.SkipWhile(a => a != "--precision").Skip(1).FirstOrDefault() ?? nameof(NetworkPrecision.Int8), ignoreCase: true);
var quality = args.Contains("--quality");
var throughputOnly = args.Contains("--throughput-only");
var trainingOnly = args.Contains("--training-only");
var report = new Report();
report.Line($"cores: {Environment.ProcessorCount}, load average at start: {LoadAverage()}");

using var resnet = new ResNetFeaturizer();
var fashion = FashionMnist.Load(test: false, Enumerable.Range(0, 10).ToArray(), perClass: quick ? 10 : 50);
var random = new Random(11);
var jpegs = Enumerable.Range(0, quick ? 30 : 300)
    .Select(i => Shapes.Draw(Shapes.Classes[i % 4], random, 640, 480, SKEncodedImageFormat.Jpeg)).ToList();

if (trainingTime)
{
    TrainingTime.Run(report, resnet, quick);
    return;
}

if (calibration)
{
    CalibrationStudy.Run(report, resnet, int.TryParse(args.SkipWhile(a => a != "--calibration").Skip(1).FirstOrDefault(), out var splits) ? splits : 3, quick, precision);
    return; // printed only: docs/model-quality.md quotes it
}

if (args.Contains("--int8-accuracy"))
{
    Int8Accuracy.Run(report, resnet, int.TryParse(args.SkipWhile(a => a != "--int8-accuracy").Skip(1).FirstOrDefault(), out var accuracySplits) ? accuracySplits : 5, quick, args.Contains("--candidates"));
    report.Line($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB; load average at end: {LoadAverage()}");
    return; // printed only: docs/benchmarks.md's INT8 section quotes it
}

if (args.Contains("--session-options"))
{
    SessionStudy.Run(report, resnet, Shapes.Draw("circle", random, 224, 224, SKEncodedImageFormat.Jpeg), quick ? 30 : 200);
    return;
}

report.Line($"precision of new models: {precision}");
if (int8Only)
{
    report.Line("## INT8 network: featurization throughput beside the bare FP32 network (interleaved rounds), agreement with FP32");
    Int8Throughput.Compare(report, resnet, "Fashion-MNIST 28x28 PNG", [.. fashion.Select(f => f.Png)]);
    Int8Throughput.Compare(report, resnet, "colour 640x480 JPEG", jpegs);
    Int8Throughput.Agreement(report, resnet, "Fashion-MNIST", [.. fashion.Select(f => f.Png)]);
    foreach (var (name, folders) in Quality.Sets)
    {
        var (clipTrain, clipTest) = Quality.Load(folders, quick ? 10 : 40);
        Int8Throughput.Agreement(report, resnet, name, [.. clipTrain.Concat(clipTest).Select(c => c.Bytes)]);
    }

    report.Line($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB; load average at end: {LoadAverage()}");
    return;
}

if (!trainingOnly && !quality)
{
    report.Line("## Featurization throughput (bare ONNX Runtime vs ours, interleaved rounds on the same machine state)");
    Throughput.Compare(report, resnet, "Fashion-MNIST 28x28 PNG", [.. fashion.Select(f => f.Png)]);
    Throughput.Compare(report, resnet, "colour 640x480 JPEG", jpegs);
}

var directory = Directory.CreateTempSubdirectory("diyml-bench").FullName;
try
{
    if (throughputOnly)
    {
        return;
    }

    using var engine = new LiteDbEngine(directory);
    var blobs = new FileBlobStore(directory);
    var trainer = new MlModelTrainer(blobs, new Lazy<ResNetFeaturizer>(() => resnet), new FeatureCache(engine), Microsoft.Extensions.Options.Options.Create(new MlOptions { Precision = precision }));
    var store = new Func<IEnumerable<(string Label, byte[] Png)>, Task<List<LabelledImage>>>(async images =>
    {
        var stored = new List<LabelledImage>();
        foreach (var (label, bytes) in images)
        {
            var blob = await blobs.PutAsync(new MemoryStream(bytes));
            stored.Add(new LabelledImage(Ids.New(), blob.Sha256, label));
        }

        return stored;
    });

    if (quality)
    {
        var qualityPredictor = new MlModelPredictor(blobs, new Lazy<ResNetFeaturizer>(() => resnet));
        trainer.WarmUp(CancellationToken.None);
        var sets = Quality.Sets.Select(s => (s.Name, Data: Quality.Load(s.Folders, quick ? 20 : 60))).ToList();
        sets.Add(("fashion-mnist", (
            [.. FashionMnist.Load(test: false, Enumerable.Range(0, 10).ToArray(), perClass: quick ? 10 : 40, skip: 50).Select(f => (f.Label, f.Png))],
            [.. FashionMnist.Load(test: true, Enumerable.Range(0, 10).ToArray(), perClass: quick ? 5 : 20).Select(f => (f.Label, f.Png))])));
        report.Line("## Model quality: held-out accuracy and ECE per model type (docs/model-quality.md)");
        foreach (var (name, (trainImages, test)) in sets)
        {
            var stored = await store(trainImages);
            foreach (var type in ModelCatalog.All.Select(t => t.Id).Where(t => !defaultOnly || t == ModelCatalog.ResNetLbfgs))
            {
                await Quality.MeasureAsync(report, name, trainer, qualityPredictor, blobs, resnet, stored, test, type, []);
            }

            if (defaultOnly)
            {
                continue;
            }

            await Quality.MeasureAsync(report, name, trainer, qualityPredictor, blobs, resnet, stored, test, ModelCatalog.ResNetLbfgs, new() { [ModelCatalog.AugmentFlip] = 1 - ModelCatalog.Default.Parameters.Single(p => p.Name == ModelCatalog.AugmentFlip).Default });
        }

        return;
    }

    report.Line("## Training 500 Fashion-MNIST images (50/class, 80/20 split), default model");
    var five = await store(fashion);
    var train = five.GroupBy(i => i.Label).SelectMany(g => g.Take(g.Count() * 4 / 5)).ToList();
    var validation = five.Except(train).ToList();
    trainer.WarmUp(CancellationToken.None); // as the portal does at start-up
    foreach (var attempt in new[] { "first training (featurize + fit + evaluate)", "retrain with cached features" })
    {
        var bare = Throughput.BareRate(resnet, 60);
        var watch = Stopwatch.StartNew();
        var result = await trainer.TrainAsync(new TrainingInput(ModelCatalog.ResNetLbfgs, new Dictionary<string, double>(), train, validation, 42), new Progress<TrainingProgressUpdate>(), CancellationToken.None);
        var wall = watch.Elapsed.TotalSeconds;
        var featurizing = result.StageSeconds["featurizing"];
        var misses = five.Count - result.FeatureCacheHits;
        var rate = misses > 0 ? $", featurized at {misses / featurizing:F1} img/s = {misses / featurizing / bare:F2} of the bare network" : "";
        // The aims assume the bare network at ~100 img/s (probes.md); scale the network-bound part to it.
        var atProbeSpeed = wall * (bare / 100);
        report.Line($"- {attempt}: {wall:F1} s wall (stages: {string.Join(", ", result.StageSeconds.Select(s => $"{s.Key} {s.Value:F2} s"))}), cache hits {result.FeatureCacheHits}, accuracy {result.Validation.Accuracy:F3}, chosen l2 {result.ChosenParameters.GetValueOrDefault("l2")}; bare network just before: {bare:F1} img/s{rate}; scaled to a machine state where the bare network does 100 img/s: {atProbeSpeed:F1} s");
    }

    if (trainingOnly)
    {
        return;
    }

    report.Line("## Prediction in process (IModelPredictor, default model from above, one 224x224 JPEG per call)");
    var defaultModel = await trainer.TrainAsync(new TrainingInput(ModelCatalog.ResNetLbfgs, new Dictionary<string, double>(), train, validation, 42), new Progress<TrainingProgressUpdate>(), CancellationToken.None);
    var modelBlob = await blobs.PutAsync(new MemoryStream(defaultModel.Model));
    var predictor = new MlModelPredictor(blobs, new Lazy<ResNetFeaturizer>(() => resnet));
    var photo = Shapes.Draw("circle", random, 224, 224, SKEncodedImageFormat.Jpeg);
    await PredictionLatency.MeasureAsync(report, predictor, new ModelHandle(Ids.New(), ModelCatalog.ResNetLbfgs, modelBlob.Sha256, defaultModel.Classes), photo, quick ? 40 : 200);

    report.Line("## Each model type trained on 100 images per class, tested on the official Fashion-MNIST test images");
    var trainSet = await store(FashionMnist.Load(test: false, Enumerable.Range(0, 10).ToArray(), perClass: quick ? 20 : 100, skip: 50));
    var testSet = await store(FashionMnist.Load(test: true, Enumerable.Range(0, 10).ToArray(), perClass: quick ? 20 : 200));
    report.Line($"({trainSet.Count} training images, {testSet.Count} test images: a stratified sample of the 10,000)");
    foreach (var type in ModelCatalog.All)
    {
        var watch = Stopwatch.StartNew();
        var result = await trainer.TrainAsync(new TrainingInput(type.Id, new Dictionary<string, double>(), trainSet, testSet, 42), new Progress<TrainingProgressUpdate>(), CancellationToken.None);
        report.Line($"- {type.Id}: test accuracy {result.Validation.Accuracy:F3}, macro-F1 {result.Validation.MacroF1:F3}, stored model {result.Model.Length / 1024.0:F1} KB, {watch.Elapsed.TotalSeconds:F1} s (fitting {result.StageSeconds["fitting"]:F2} s){(result.ChosenParameters.Count > 0 ? $", chosen l2 {result.ChosenParameters["l2"]}" : "")}");
    }
}
finally
{
    Directory.Delete(directory, recursive: true);
    report.Line($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB; load average at end: {LoadAverage()}");
    report.Save(args.SkipWhile(a => a != "--write").Skip(1).FirstOrDefault());
}

static string LoadAverage() => PortalHead.LoadAverage();
