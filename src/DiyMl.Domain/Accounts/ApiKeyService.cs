using System.Security.Cryptography;
using System.Text;
using DiyMl.Domain.Common;

namespace DiyMl.Domain.Accounts;

/// <summary>A new key: the plain text is in <see cref="Key"/> and is never available again.</summary>
public sealed record CreatedApiKey(ApiKey Entity, string Key);

/// <summary>
/// Creates, lists, revokes and checks personal API keys. A key reads <c>dml_{id}_{secret}</c>:
/// the id finds the stored hash without searching by secret, and the hashes are compared in
/// constant time so response timing says nothing about how close a guess was.
/// </summary>
public sealed class ApiKeyService(IApiKeyStore store, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    public const int MaxKeysPerUser = 50;

    private const string Prefix = "dml_";

    public async Task<CreatedApiKey> CreateAsync(string ownerId, string? name, CancellationToken ct = default) =>
        await CreateAsync(ownerId, name, null, ct);

    /// <summary>Creates a key with the given scopes (null or empty: <see cref="ApiKeyScopes.Default"/>).</summary>
    public async Task<CreatedApiKey> CreateAsync(string ownerId, string? name, IReadOnlyCollection<string>? scopes, CancellationToken ct = default)
    {
        var asked = scopes is { Count: > 0 } ? scopes.Select(s => s?.Trim() ?? "").ToList() : [.. ApiKeyScopes.Default];
        if (asked.FirstOrDefault(s => !ApiKeyScopes.All.Contains(s, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            throw new DomainValidationException("scopes", $"'{unknown}' is not a scope; use {string.Join(", ", ApiKeyScopes.All)}.");
        }

        var chosen = ApiKeyScopes.All.Where(s => asked.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();

        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DomainValidationException("name", "Give the key a name, e.g. the script that will use it.");
        }

        if (trimmed.Length > MaxNameLength)
        {
            throw new DomainValidationException("name", $"The name can be at most {MaxNameLength} characters long.");
        }

        if (await store.CountByOwnerAsync(ownerId, ct) >= MaxKeysPerUser)
        {
            throw new LimitExceededException($"You already have {MaxKeysPerUser} API keys; revoke one you no longer use first.");
        }

        var entity = new ApiKey { OwnerId = ownerId, Name = trimmed, CreatedAtUtc = clock.GetUtcNow().UtcDateTime, Scopes = chosen };
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var key = $"{Prefix}{entity.Id}_{secret}";
        entity.HashHex = Hash(key);
        entity.Hint = key[^4..];
        await store.InsertAsync(entity, ct);
        return new CreatedApiKey(entity, key);
    }

    public Task<Page<ApiKey>> ListAsync(string ownerId, CancellationToken ct = default) => store.ListByOwnerAsync(ownerId, ct);

    /// <summary>Revokes one of the caller's keys; someone else's key is "not found".</summary>
    public async Task RevokeAsync(string ownerId, string id, CancellationToken ct = default)
    {
        var key = Ids.IsValid(id) ? await store.GetAsync(id, ct) : null;
        key.EnsureOwnedBy(ownerId, "API key", id);
        await store.DeleteAsync(id, ct);
    }

    /// <summary>The stored key for a presented secret, or null when it is malformed, unknown or revoked.</summary>
    public async Task<ApiKey?> VerifyAsync(string? presented, CancellationToken ct = default)
    {
        if (presented is null || presented.Length > 200 || !presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = presented.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator != 24 || !Ids.IsValid(rest[..separator].ToString()))
        {
            return null;
        }

        var stored = await store.GetAsync(rest[..separator].ToString(), ct);
        if (stored is null)
        {
            return null;
        }

        var expected = Convert.FromHexString(stored.HashHex);
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (stored.LastUsedAtUtc is not { } last || now - last > TimeSpan.FromMinutes(1))
        {
            // Best effort: a lost race on "last used" is not worth failing the request for.
            stored.LastUsedAtUtc = now;
            await store.TouchAsync(stored, ct);
        }

        return stored;
    }

    internal static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
