using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;

namespace DiyMl.Domain.Training;

/// <summary>
/// Runs a training job: reads the dataset as it is now, splits it reproducibly, checks the
/// split for near-duplicate leakage, trains, and saves the model only when everything worked.
/// </summary>
public sealed class TrainingJobHandler(
    IDatasetStore datasets,
    IImageStore images,
    IModelTrainer trainer,
    IBlobStore blobs,
    ITrainedModelStore models,
    TimeProvider time) : JobHandler<TrainingJobInput, TrainingResult>
{
    /// <summary>dHash distance at or under which two images count as the same picture.</summary>
    public const int LeakageThreshold = 5;

    public override JobKind Kind => JobKind.Training;

    protected override async Task<TrainingResult> RunAsync(Job job, TrainingJobInput input, IJobContext context, CancellationToken ct)
    {
        var dataset = await datasets.GetAsync(job.DatasetId ?? "", ct)
            ?? throw new InvalidOperationException("The dataset was deleted before training started.");
        var labelledAssets = (await images.ListByDatasetAsync(dataset.Id, ct)).Where(i => i.Label is not null).ToList();
        var labelled = labelledAssets.Select(i => new LabelledImage(i.Id, i.Sha256, i.Label!)).ToList();
        if (labelled.Select(i => i.Label).Distinct(StringComparer.Ordinal).Count() < TrainingService.MinClasses)
        {
            throw new InvalidOperationException("The dataset no longer has two classes with images.");
        }

        var seed = (int)input.Parameters[ModelCatalog.Seed];
        var (train, validation) = DatasetSplit.Split(labelled, input.Parameters[ModelCatalog.ValidationSplit], seed);
        var hashes = labelledAssets.ToDictionary(i => i.Id, i => i.DHash, StringComparer.Ordinal);
        var leakage = NearDuplicates.FindAcross(
            train.Select(i => (i.ImageId, hashes[i.ImageId])).ToList(),
            validation.Select(i => (i.ImageId, hashes[i.ImageId])).ToList(),
            LeakageThreshold).Count;

        TrainedArtifact artifact;
        var estimator = new TrainingEstimator(time, input.ModelTypeId, train.Count);
        await using (var progress = new ProgressPump<TrainingProgressUpdate>(u => context.ReportAsync(JobStage.Named(u.Stage), u.Done, u.Total, estimator.Next(u))))
        {
            artifact = await trainer.TrainAsync(new TrainingInput(input.ModelTypeId, input.Parameters, train, validation, seed), progress, ct);
            await progress.CompleteAsync();
        }

        // Past this point the work is done; a late cancel must not leave a blob without a model.
        ct.ThrowIfCancellationRequested();
        await context.ReportAsync(JobStage.Saving);
        BlobInfo blob;
        using (var content = new MemoryStream(artifact.Model, writable: false))
        {
            blob = await blobs.PutAsync(content, CancellationToken.None);
        }

        var parameters = new Dictionary<string, double>(input.Parameters);
        foreach (var (name, value) in artifact.ChosenParameters)
        {
            parameters[name] = value;
        }

        var model = new TrainedModel
        {
            OwnerId = job.OwnerId,
            Name = $"{dataset.Name} · {ModelCatalog.Find(input.ModelTypeId)?.Name ?? input.ModelTypeId}",
            DatasetId = dataset.Id,
            JobId = job.Id,
            ModelTypeId = input.ModelTypeId,
            Parameters = parameters,
            Seed = seed,
            Classes = [.. artifact.Classes],
            ArtifactSha256 = blob.Sha256,
            ArtifactBytes = blob.Length,
            Validation = artifact.Validation,
            TrainImageIds = train.Select(i => i.ImageId).ToList(),
            ValidationImageIds = validation.Select(i => i.ImageId).ToList(),
            ManifestHash = DatasetSplit.ManifestHash(labelled),
            LeakagePairs = leakage,
            StageSeconds = new Dictionary<string, double>(artifact.StageSeconds),
            LibraryVersions = new Dictionary<string, string>(artifact.LibraryVersions),
            CoreCount = Environment.ProcessorCount,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            FinalTrainingImages = artifact.FinalTrainingImages,
            Temperature = artifact.Temperature,
            FeatureSpace = artifact.FeatureSpace,
            LearningCurve = [.. artifact.LearningCurve],
        };
        await models.InsertAsync(model, CancellationToken.None);
        context.SetModelId(model.Id);
        return new TrainingResult(model.Validation.Accuracy, model.Validation.MacroF1, leakage, artifact.FeatureCacheHits);
    }
}

/// <summary>The job result of a successful training, for lists and scripts.</summary>
public sealed record TrainingResult(double Accuracy, double MacroF1, int LeakagePairs, int FeatureCacheHits);
