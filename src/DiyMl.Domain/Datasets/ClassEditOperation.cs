using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// Folds source classes into a target (merge, rename) or drops them (delete), in an order that
/// keeps every image's label listed at every moment: (1) the target is listed first, next to the
/// first source; (2) the images move (or go); (3) only then are the sources unlisted; (4) a last
/// pass catches images an upload labelled with a source meanwhile. Each step is idempotent, so
/// running the whole thing again after a crash at any point reaches the same end.
/// </summary>
public sealed class ClassEditOperation(IImageStore images, ImageRemover remover, DatasetMutations mutations) : IOperationHandler
{
    public OperationKind Kind => OperationKind.ClassEdit;

    public async Task RunAsync(PendingOperation operation, CancellationToken ct)
    {
        var (owner, datasetId, target) = (operation.OwnerId, operation.TargetId, operation.Target);
        var sources = operation.Sources.Where(s => s != target).ToList();
        try
        {
            if (target is not null)
            {
                await mutations.UpdateAsync(owner, datasetId, d => ListNextTo(d.Classes, target, sources), ct);
            }

            await MoveImagesAsync(operation, sources, ct);
            await mutations.UpdateAsync(owner, datasetId, d => d.Classes.RemoveAll(sources.Contains), ct);
            await MoveImagesAsync(operation, sources, ct);
            await mutations.UpdateAsync(owner, datasetId, _ => { }, ct); // new revision: cached counts refresh
        }
        catch (NotFoundException)
        {
            // The dataset was deleted meanwhile; its own delete takes the images.
        }
    }

    private static void ListNextTo(List<string> classes, string target, List<string> sources)
    {
        if (classes.Contains(target))
        {
            return;
        }

        var at = sources.Select(s => classes.IndexOf(s)).Where(i => i >= 0).DefaultIfEmpty(classes.Count - 1).Min();
        classes.Insert(at + 1, target);
    }

    private async Task MoveImagesAsync(PendingOperation operation, List<string> sources, CancellationToken ct)
    {
        foreach (var source in sources)
        {
            var affected = await images.ListByLabelAsync(operation.TargetId, source, ct);
            if (operation.DeleteImages)
            {
                await remover.RemoveAsync(affected, ct);
                continue;
            }

            foreach (var image in affected)
            {
                await ImageRelabel.SetLabelAsync(images, image, operation.Target, ct);
            }
        }
    }
}
