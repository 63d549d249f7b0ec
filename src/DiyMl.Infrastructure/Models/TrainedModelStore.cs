using DiyMl.Domain.Common;
using DiyMl.Domain.Models;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Models;

internal sealed class TrainedModelStore(IStorageEngine engine) : ITrainedModelStore
{
    private readonly IDocumentCollection<TrainedModel> _models = engine.Collection<TrainedModel>("models");

    public Task<TrainedModel?> GetAsync(string id, CancellationToken ct = default) => _models.GetAsync(id, ct);

    public async Task<Page<TrainedModel>> ListByOwnerAsync(string ownerId, int skip, int take, CancellationToken ct = default)
    {
        var items = await _models.FindAsync(m => m.OwnerId == ownerId, new FindOptions<TrainedModel>(m => m.CreatedAt, Descending: true, skip, take), ct);
        var total = await _models.CountAsync(m => m.OwnerId == ownerId, ct);
        return new Page<TrainedModel>(items, total);
    }

    public Task InsertAsync(TrainedModel model, CancellationToken ct = default) => _models.InsertAsync(model, ct);

    public Task<bool> ReplaceAsync(TrainedModel model, CancellationToken ct = default) => _models.ReplaceAsync(model, ct);

    public Task<bool> DeleteAsync(string id, CancellationToken ct = default) => _models.DeleteAsync(id, ct);

    public Task<long> CountByArtifactAsync(string artifactSha256, CancellationToken ct = default) =>
        _models.CountAsync(m => m.ArtifactSha256 == artifactSha256, ct);
}
