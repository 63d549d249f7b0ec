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

    /// <summary>What the key may do (<see cref="ApiKeyScopes"/>); empty on keys made before scopes existed, which get the default.</summary>
    public List<string> Scopes { get; set; } = [];

    public IReadOnlyList<string> EffectiveScopes => Scopes.Count == 0 ? ApiKeyScopes.Default : Scopes;
}

/// <summary>
/// What an API key may do. A script key reads, uploads and predicts; managing keys or accounts
/// needs <see cref="Manage"/>, which no key gets unless asked for, so a leaked key cannot mint
/// its own replacement before it is revoked.
/// </summary>
public static class ApiKeyScopes
{
    public const string Read = "read";

    /// <summary>Upload and change your own data: datasets, pictures, training, tests, publishing.</summary>
    public const string Upload = "upload";

    public const string Predict = "predict";

    /// <summary>Create and revoke API keys, change the account, administer the portal.</summary>
    public const string Manage = "manage";

    public static readonly IReadOnlyList<string> All = [Read, Upload, Predict, Manage];

    public static readonly IReadOnlyList<string> Default = [Read, Upload, Predict];
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
