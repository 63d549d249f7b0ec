using DiyMl.Domain.Common;
using DiyMl.Domain.Models;

namespace DiyMl.Domain.Publishing;

/// <summary>
/// A published model as lists show it: the publication, its model, whether it is the caller's,
/// and its owner's display name, so two people's "Flowers" can be told apart.
/// </summary>
public sealed record PublishedModel(Publication Publication, TrainedModel? Model, bool Mine, string OwnerName = "");

/// <summary>
/// Publishing: a user offers one of their models under a name to scripts holding an API key.
/// A model answers under at most one name; publishing another model under a taken name switches
/// that name to it (a new version) in one compare-and-set replace.
/// </summary>
public sealed class PublishingService(IPublicationStore store, ITrainedModelStore models, TimeProvider clock, Accounts.IUserDirectory users)
{
    private const int MaxAttempts = 20;

    public async Task<PublishedModel> PublishAsync(string userId, string modelId, string? name, string? description, CancellationToken ct = default)
    {
        var model = await OwnedModelAsync(userId, modelId, ct);
        var cleanName = Publication.NormalizeName(name ?? "");
        var errors = new Dictionary<string, string[]>();
        if (cleanName.Length is 0 or > Publication.MaxNameLength)
        {
            errors["name"] = [$"A published name needs 1 to {Publication.MaxNameLength} characters."];
        }

        if (description is { Length: > Publication.MaxDescriptionLength })
        {
            errors["description"] = [$"A description can be at most {Publication.MaxDescriptionLength} characters."];
        }

        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var id = Publication.IdFor(userId, cleanName);
        var current = await store.FindByModelAsync(model.Id, ct);
        if (current is not null && current.Id != id)
        {
            throw new ConflictException($"This model is already published as '{current.Name}'. Unpublish it first, or publish it under that name.");
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var existing = await store.GetAsync(id, ct);
            if (existing is null)
            {
                var publication = new Publication
                {
                    Id = id,
                    OwnerId = userId,
                    Name = cleanName,
                    Description = description?.Trim() ?? "",
                    ModelId = model.Id,
                    VersionNumber = 1,
                    PublishedAt = now,
                    FirstPublishedAt = now,
                    History = [new PublicationVersion { Number = 1, ModelId = model.Id, PublishedAt = now }],
                };
                if (await store.TryInsertAsync(publication, ct))
                {
                    return new PublishedModel(publication, model, true);
                }

                continue;
            }

            existing.Name = cleanName;
            existing.Description = description?.Trim() ?? existing.Description;
            if (!string.Equals(existing.ModelId, model.Id, StringComparison.Ordinal))
            {
                existing.VersionNumber++;
                existing.ModelId = model.Id;
                existing.PublishedAt = now;
                existing.History.Add(new PublicationVersion { Number = existing.VersionNumber, ModelId = model.Id, PublishedAt = now });
            }

            if (await store.ReplaceAsync(existing, ct))
            {
                return new PublishedModel(existing, model, true);
            }
        }

        throw new ConflictException("The publication is being changed by another request; try again.");
    }

    /// <summary>Stops the model answering scripts at once: the publication document is gone.</summary>
    public async Task UnpublishAsync(string userId, string modelId, CancellationToken ct = default)
    {
        var model = await OwnedModelAsync(userId, modelId, ct);
        var publication = await store.FindByModelAsync(model.Id, ct) ?? throw new NotFoundException("Publication of model", modelId);
        if (!await store.DeleteAsync(publication.Id, ct))
        {
            throw new NotFoundException("Publication of model", modelId);
        }
    }

    /// <summary>The caller's publications (mine) or every published model, newest first.</summary>
    public async Task<Page<PublishedModel>> ListAsync(string userId, bool mineOnly, int page, int pageSize, CancellationToken ct = default)
    {
        (page, pageSize) = (Math.Max(page, 1), Math.Clamp(pageSize, 1, 200));
        var publications = await store.ListAsync(mineOnly ? userId : null, (page - 1) * pageSize, pageSize, ct);
        var items = new List<PublishedModel>(publications.Items.Count);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var publication in publications.Items)
        {
            if (!owners.TryGetValue(publication.OwnerId, out var owner))
            {
                owner = owners[publication.OwnerId] = (await users.GetAsync(publication.OwnerId, ct))?.DisplayName ?? "";
            }

            items.Add(new PublishedModel(publication, await models.GetAsync(publication.ModelId, ct), publication.OwnerId == userId, owner));
        }

        return new Page<PublishedModel>(items, publications.Total);
    }

    /// <summary>The publication a model answers under (null when unpublished); for the model's owner.</summary>
    public async Task<Publication?> FindForModelAsync(string userId, string modelId, CancellationToken ct = default)
    {
        var model = await OwnedModelAsync(userId, modelId, ct);
        return await store.FindByModelAsync(model.Id, ct);
    }

    private async Task<TrainedModel> OwnedModelAsync(string userId, string modelId, CancellationToken ct) =>
        (Ids.IsValid(modelId) ? await models.GetAsync(modelId, ct) : null).EnsureOwnedBy(userId, "Model", modelId);
}
