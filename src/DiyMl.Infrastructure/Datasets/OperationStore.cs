using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Datasets;

/// <summary><see cref="IOperationStore"/> over the storage seam (collection <c>operations</c>).</summary>
internal sealed class OperationStore(IStorageEngine engine) : IOperationStore
{
    private readonly IDocumentCollection<PendingOperation> _operations = engine.Collection<PendingOperation>("operations");

    public Task InsertAsync(PendingOperation operation, CancellationToken ct = default) => _operations.InsertAsync(operation, ct);

    public Task DeleteAsync(string id, CancellationToken ct = default) => _operations.DeleteAsync(id, ct);

    public Task<IReadOnlyList<PendingOperation>> ListAsync(DateTime before, CancellationToken ct = default) =>
        _operations.FindAsync(o => o.CreatedAt < before, new FindOptions<PendingOperation>(o => o.CreatedAt), ct);
}
