using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;

namespace DiyMl.Domain.Predictions;

/// <summary>
/// Runs a prediction job: answers each stored image, records the usage, saves all answers as
/// one JSON blob (downloadable as JSON or CSV). Uploaded images need no clean-up here: only an
/// unfinished job's input counts as a reference to them, so once it finishes the sweeper reclaims
/// those no dataset uses (<c>JobBlobReferences</c>), and a crash here loses nothing.
/// </summary>
public sealed class BatchPredictionJobHandler(
    ITrainedModelStore models,
    IBlobStore blobs,
    PredictionService predictions,
    IPredictionRecorder recorder,
    TimeProvider clock) : JobHandler<BatchPredictionInput, BatchPredictionResult>
{
    private const int RecordChunk = 100;

    public override JobKind Kind => JobKind.BatchPrediction;

    protected override async Task<BatchPredictionResult> RunAsync(Job job, BatchPredictionInput input, IJobContext context, CancellationToken ct)
    {
        var model = await models.GetAsync(job.ModelId ?? "", ct) ?? throw new InvalidOperationException("The model was deleted before the job ran.");
        var caller = new PredictionCaller(input.CallerUserId, input.Channel, input.ApiKeyId);
        var answers = new List<ImagePrediction>(input.Items.Count);
        var records = new List<PredictionRecord>();

        for (var i = 0; i < input.Items.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            await context.ReportAsync(JobStage.Predicting, i, input.Items.Count);
            var item = input.Items[i];
            if (item.Sha256 is null)
            {
                answers.Add(ImagePrediction.Failed(item.FileName, item.Error ?? "The file could not be read."));
                continue;
            }

            var started = clock.GetTimestamp();
            var content = await blobs.ReadAllBytesAsync(item.Sha256, ct);
            if (content is null)
            {
                answers.Add(ImagePrediction.Failed(item.FileName, "The uploaded file is no longer stored."));
                continue;
            }

            var (answer, scores) = await predictions.AnswerAsync(model, item.FileName, content, input.K, ct);
            answers.Add(answer);
            if (scores is not null)
            {
                records.Add(predictions.Record(caller, model, answer, clock.GetElapsedTime(started).TotalMilliseconds));
            }

            if (records.Count >= RecordChunk)
            {
                await recorder.EnqueueAsync([.. records], CancellationToken.None);
                records.Clear();
            }
        }

        await recorder.EnqueueAsync(records, CancellationToken.None);
        await context.ReportAsync(JobStage.Saving, input.Items.Count, input.Items.Count);
        BlobInfo result;
        using (var json = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(answers, BatchPredictionService.Json)))
        {
            result = await blobs.PutAsync(json, CancellationToken.None);
        }

        var answered = answers.Count(a => a.Error is null);
        return new BatchPredictionResult(result.Sha256, answers.Count, answered, answers.Count - answered);
    }

}
