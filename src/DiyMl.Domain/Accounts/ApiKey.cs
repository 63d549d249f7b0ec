using DiyMl.Domain.Common;

namespace DiyMl.Domain.Accounts;

/// <summary>
/// A personal key for scripts. Only the SHA-256 of the key is kept; the key itself is shown
/// once, when it is created. <see cref="Hint"/> (the last characters) lets a person tell keys apart.
/// </summary>
public sealed class ApiKey : Entity, IOwned
{
    public string OwnerId { get; set; } = "";

    public string Name { get; set; } = "";

    public string HashHex { get; set; } = "";

    public string Hint { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }

    public DateTime? LastUsedAtUtc { get; set; }
}

/// <summary>The stored API keys.</summary>
public interface IApiKeyStore
{
    Task<ApiKey?> GetAsync(string id, CancellationToken ct = default);

    Task<Page<ApiKey>> ListByOwnerAsync(string ownerId, CancellationToken ct = default);

    Task<long> CountByOwnerAsync(string ownerId, CancellationToken ct = default);

    Task InsertAsync(ApiKey key, CancellationToken ct = default);

    Task<bool> DeleteAsync(string id, CancellationToken ct = default);

    Task<bool> TouchAsync(ApiKey key, CancellationToken ct = default);
}
