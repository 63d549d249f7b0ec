using System.Diagnostics;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;
using DiyMl.Domain.Training;

namespace DiyMl.Domain.Testing;

/// <summary>What a model test runs on (the model is the job's).</summary>
public sealed record ModelTestJobInput(string DatasetId);

/// <summary>The job result of a model test, for job lists and scripts.</summary>
public sealed record ModelTestResult(string RunId, int Images, double Accuracy, double MacroF1, IReadOnlyList<UnknownClass> UnknownClasses, int Unreadable);

/// <summary>
/// Runs a model test: every labelled image of the dataset is predicted. Images of classes the
/// model knows fill the confusion matrix; images of other classes are counted per class and kept
/// for error analysis, but cannot be right or wrong in the metrics, so they do not distort them.
/// </summary>
public sealed class ModelTestJobHandler(
    ITrainedModelStore models,
    IDatasetStore datasets,
    IImageStore images,
    IBlobStore blobs,
    IModelPredictor predictor,
    IModelTestStore tests,
    TimeProvider clock) : JobHandler<ModelTestJobInput, ModelTestResult>
{
    public override JobKind Kind => JobKind.ModelTest;

    protected override async Task<ModelTestResult> RunAsync(Job job, ModelTestJobInput input, IJobContext context, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var model = await models.GetAsync(job.ModelId ?? "", ct) ?? throw new InvalidOperationException("The model was deleted before the test started.");
        var dataset = await datasets.GetAsync(job.DatasetId ?? "", ct) ?? throw new InvalidOperationException("The dataset was deleted before the test started.");
        var all = await images.ListByDatasetAsync(dataset.Id, ct);
        var labelled = all.Where(i => i.Label is not null).ToList();
        var known = model.Classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var matrix = model.Classes.Select(_ => new int[model.Classes.Count]).ToArray();
        var answers = new List<TestPrediction>(labelled.Count);
        var unknown = new Dictionary<string, int>(StringComparer.Ordinal);
        var unreadable = 0;
        var handle = ModelService.HandleOf(model);

        for (var i = 0; i < labelled.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            await context.ReportAsync(JobStage.Predicting, i, labelled.Count);
            var image = labelled[i];
            var content = await blobs.ReadAllBytesAsync(image.Sha256, ct);
            var outcome = content is null ? null : (await predictor.PredictAsync(handle, [content], ct))[0];
            if (outcome?.Scores is not { Count: > 0 } scores)
            {
                unreadable++;
                continue;
            }

            var best = scores[0];
            var isKnown = known.TryGetValue(image.Label!, out var row);
            if (isKnown)
            {
                matrix[row][known[best.Label]]++;
            }
            else
            {
                unknown[image.Label!] = unknown.GetValueOrDefault(image.Label!) + 1;
            }

            answers.Add(new TestPrediction
            {
                ImageId = image.Id,
                FileName = image.FileName,
                TrueLabel = image.Label!,
                PredictedLabel = best.Label,
                Confidence = best.Score,
                Correct = isKnown && string.Equals(best.Label, image.Label, StringComparison.Ordinal),
                KnownClass = isKnown,
            });
        }

        await context.ReportAsync(JobStage.Saving, labelled.Count, labelled.Count);
        var run = new ModelTestRun
        {
            OwnerId = job.OwnerId,
            ModelId = model.Id,
            DatasetId = dataset.Id,
            DatasetName = dataset.Name,
            JobId = job.Id,
            Evaluation = Evaluation.FromConfusion(model.Classes, matrix.Select(r => (IReadOnlyList<int>)r).ToList()),
            UnknownClasses = [.. unknown.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => new UnknownClass { Label = u.Key, Images = u.Value })],
            Unlabelled = all.Count - labelled.Count,
            Unreadable = unreadable,
            Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };

        // Past this point the work is done; a late cancel must not leave a half-saved run.
        ct.ThrowIfCancellationRequested();
        await tests.InsertAsync(run, answers, CancellationToken.None);
        return new ModelTestResult(run.Id, run.Evaluation.Count, run.Evaluation.Accuracy, run.Evaluation.MacroF1, run.UnknownClasses, unreadable);
    }

}
