using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>What happens to the images of a class that is deleted.</summary>
public enum ClassImageDisposal
{
    Unlabel,
    Delete,
}

/// <summary>Adds, renames, merges and deletes the classes of a dataset, relabelling images to match.</summary>
public sealed class ClassService(IImageStore images, ImageRemover remover, DatasetMutations mutations)
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

        await mutations.UpdateAsync(userId, datasetId, d =>
        {
            var index = d.Classes.IndexOf(current);
            if (index >= 0)
            {
                d.Classes[index] = target;
            }
        }, ct);
        await RelabelAllAsync(dataset.Id, current, target, ct);
        await mutations.UpdateAsync(userId, datasetId, _ => { }, ct);
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
        var into = await mutations.EnsureClassAsync(userId, datasetId, ClassNames.Validate(target, "target"), ct);
        from.Remove(into);
        await mutations.UpdateAsync(userId, datasetId, d => d.Classes.RemoveAll(from.Contains), ct);
        foreach (var source in from)
        {
            await RelabelAllAsync(dataset.Id, source, into, ct);
        }

        await mutations.UpdateAsync(userId, datasetId, _ => { }, ct);
    }

    public async Task DeleteAsync(string userId, string datasetId, string className, ClassImageDisposal disposal, CancellationToken ct = default)
    {
        var dataset = await mutations.LoadOwnedAsync(userId, datasetId, ct);
        var current = RequireClass(dataset, className);
        await mutations.UpdateAsync(userId, datasetId, d => d.Classes.Remove(current), ct);
        if (disposal == ClassImageDisposal.Delete)
        {
            await remover.RemoveAsync(await images.ListByLabelAsync(dataset.Id, current, ct), ct);
        }
        else
        {
            await RelabelAllAsync(dataset.Id, current, null, ct);
        }

        await mutations.UpdateAsync(userId, datasetId, _ => { }, ct);
    }

    private static string RequireClass(Dataset dataset, string name) =>
        ClassNames.FindExisting(dataset.Classes, name?.Trim() ?? "")
        ?? throw new NotFoundException("Class", name ?? "");

    private async Task RelabelAllAsync(string datasetId, string from, string? to, CancellationToken ct)
    {
        foreach (var image in await images.ListByLabelAsync(datasetId, from, ct))
        {
            await ImageRelabel.SetLabelAsync(images, image, to, ct);
        }
    }
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
