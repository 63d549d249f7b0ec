using DiyMl.Domain.Models;

namespace DiyMl.Domain.Publishing;

/// <summary>A deleted model stops answering under its published name.</summary>
public sealed class PublicationCleanup(IPublicationStore store) : IModelDeletedListener
{
    public async Task OnModelDeletedAsync(TrainedModel model, CancellationToken ct)
    {
        if (await store.FindByModelAsync(model.Id, ct) is { } publication)
        {
            await store.DeleteAsync(publication.Id, ct);
        }
    }
}
