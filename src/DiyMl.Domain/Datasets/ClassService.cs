using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>What happens to the images of a class that is deleted.</summary>
public enum ClassImageDisposal
{
    Unlabel,
    Delete,
}

/// <summary>
/// Adds, renames, merges and deletes the classes of a dataset. Everything that touches more than
/// one document runs as a <see cref="ClassEditOperation"/> through the <see cref="OperationLog"/>,
/// so a crash halfway never leaves images under a label the dataset does not list.
/// </summary>
public sealed class ClassService(OperationLog operations, DatasetMutations mutations)
{
    public Task<string> AddAsync(string userId, string datasetId, string? name, CancellationToken ct = default) =>
        mutations.EnsureClassAsync(userId, datasetId, ClassNames.Validate(name), ct);

    public async Task RenameAsync(string userId, string datasetId, string className, string? newName, CancellationToken ct = default)
    {
        var target = ClassNames.Validate(newName);
        var dataset = await mutations.LoadOwnedAsync(userId, datasetId, ct);
        var current = RequireClass(dataset, className);
        if (ClassNames.FindExisting(dataset.Classes, target) is { } clash && clash != current)
        {
            throw new ConflictException($"There is already a class called '{clash}'; merge the two classes instead.");
        }

        if (current != target)
        {
            await RunAsync(dataset, [current], target, deleteImages: false, ct);
        }
    }

    /// <summary>Moves every image of the source classes into the target class and removes the sources.</summary>
    public async Task MergeAsync(string userId, string datasetId, IReadOnlyCollection<string> sources, string? target, CancellationToken ct = default)
    {
        var dataset = await mutations.LoadOwnedAsync(userId, datasetId, ct);
        if (sources.Count == 0)
        {
            throw new DomainValidationException("sources", "Choose at least one class to merge.");
        }

        var from = sources.Select(s => RequireClass(dataset, s)).Distinct().ToList();
        var name = ClassNames.Validate(target, "target");
        var into = ClassNames.FindExisting(dataset.Classes, name) ?? name;
        from.Remove(into);
        if (from.Count > 0)
        {
            await RunAsync(dataset, from, into, deleteImages: false, ct);
        }
        else
        {
            await mutations.EnsureClassAsync(userId, datasetId, into, ct);
        }
    }

    public async Task DeleteAsync(string userId, string datasetId, string className, ClassImageDisposal disposal, CancellationToken ct = default)
    {
        var dataset = await mutations.LoadOwnedAsync(userId, datasetId, ct);
        var current = RequireClass(dataset, className);
        await RunAsync(dataset, [current], null, disposal == ClassImageDisposal.Delete, ct);
    }

    private Task RunAsync(Dataset dataset, List<string> sources, string? target, bool deleteImages, CancellationToken ct) =>
        operations.RunAsync(new PendingOperation
        {
            Kind = OperationKind.ClassEdit,
            OwnerId = dataset.OwnerId,
            TargetId = dataset.Id,
            Sources = sources,
            Target = target,
            DeleteImages = deleteImages,
        }, ct);

    private static string RequireClass(Dataset dataset, string name) =>
        ClassNames.FindExisting(dataset.Classes, name?.Trim() ?? "")
        ?? throw new NotFoundException("Class", name ?? "");
}

/// <summary>Sets an image's label with compare-and-set, rereading if someone else changed it meanwhile.</summary>
internal static class ImageRelabel
{
    public static async Task<bool> SetLabelAsync(IImageStore images, ImageAsset image, string? label, CancellationToken ct)
    {
        for (var current = image; current is not null; current = await images.GetAsync(image.Id, ct))
        {
            if (current.Label == label)
            {
                return true;
            }

            current.Label = label;
            if (await images.ReplaceAsync(current, ct))
            {
                return true;
            }
        }

        return false; // deleted meanwhile
    }
}
