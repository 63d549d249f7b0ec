using DiyMl.Domain.Common;

namespace DiyMl.Domain.Models;

/// <summary>
/// Deletes a model document (it vanishes for its owner in one step), then tells every listener
/// (publication, test runs, usage records) to let go of it. Rerun after a crash, the document is
/// already gone and the listeners, each idempotent, finish their part.
/// </summary>
public sealed class ModelDeleteOperation(ITrainedModelStore store, IEnumerable<IModelDeletedListener> listeners) : IOperationHandler
{
    public OperationKind Kind => OperationKind.ModelDelete;

    public async Task RunAsync(PendingOperation operation, CancellationToken ct)
    {
        await store.DeleteAsync(operation.TargetId, ct);
        var model = new TrainedModel
        {
            Id = operation.TargetId,
            OwnerId = operation.OwnerId,
            ArtifactSha256 = operation.ArtifactSha256 ?? "",
        };
        foreach (var listener in listeners)
        {
            await listener.OnModelDeletedAsync(model, ct);
        }
    }
}
