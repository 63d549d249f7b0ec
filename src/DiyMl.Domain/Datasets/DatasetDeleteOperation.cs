using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// Deletes a dataset: the document first (it vanishes for its owner in one step), then its
/// images. Rerun after a crash, it finds the document gone and finishes the images.
/// </summary>
public sealed class DatasetDeleteOperation(IDatasetStore datasets, IImageStore images, ImageRemover remover) : IOperationHandler
{
    public OperationKind Kind => OperationKind.DatasetDelete;

    public async Task RunAsync(PendingOperation operation, CancellationToken ct)
    {
        await datasets.DeleteAsync(operation.TargetId, ct);
        await remover.RemoveAsync(await images.ListByDatasetAsync(operation.TargetId, ct), ct);
    }
}
