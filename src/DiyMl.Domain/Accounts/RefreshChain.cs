using DiyMl.Domain.Common;

namespace DiyMl.Domain.Accounts;

/// <summary>
/// One sign-in's line of refresh tokens. Only <see cref="CurrentTokenId"/> may be exchanged;
/// presenting any older token means it was copied, so the whole chain is revoked and the
/// thief's and the owner's successors both stop working.
/// </summary>
public sealed class RefreshChain : Entity
{
    public string UserId { get; set; } = "";

    public string CurrentTokenId { get; set; } = "";

    public bool Revoked { get; set; }

    public DateTime CreatedAtUtc { get; set; }
}

/// <summary>The stored refresh chains; <see cref="ReplaceAsync"/> is compare-and-set on the version.</summary>
public interface IRefreshChainStore
{
    Task<RefreshChain?> GetAsync(string id, CancellationToken ct = default);

    Task InsertAsync(RefreshChain chain, CancellationToken ct = default);

    Task<bool> ReplaceAsync(RefreshChain chain, CancellationToken ct = default);
}

/// <summary>Starts, rotates and checks refresh chains; one use per token, reuse revokes the chain.</summary>
public sealed class RefreshTokenService(IRefreshChainStore store, TimeProvider clock)
{
    public async Task<RefreshChain> StartAsync(string userId, CancellationToken ct = default)
    {
        var chain = new RefreshChain { UserId = userId, CurrentTokenId = Ids.New(), CreatedAtUtc = clock.GetUtcNow().UtcDateTime };
        await store.InsertAsync(chain, ct);
        return chain;
    }

    /// <summary>The chain with its new current token, or null when the token was not the current one (the chain is then revoked).</summary>
    public async Task<RefreshChain?> RotateAsync(string? chainId, string? tokenId, string userId, CancellationToken ct = default)
    {
        var chain = chainId is not null && Ids.IsValid(chainId) ? await store.GetAsync(chainId, ct) : null;
        if (chain is null || chain.Revoked || !string.Equals(chain.UserId, userId, StringComparison.Ordinal))
        {
            return null;
        }

        if (string.Equals(chain.CurrentTokenId, tokenId, StringComparison.Ordinal))
        {
            chain.CurrentTokenId = Ids.New();
            if (await store.ReplaceAsync(chain, ct))
            {
                return chain;
            }

            // Someone exchanged the same token a moment earlier: one of the two holders is a copy.
        }

        await RevokeAsync(chainId!, ct);
        return null;
    }

    public async Task<bool> IsRevokedAsync(string chainId, CancellationToken ct = default) =>
        await store.GetAsync(chainId, ct) is not { Revoked: false };

    private async Task RevokeAsync(string chainId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var chain = await store.GetAsync(chainId, ct);
            if (chain is null || chain.Revoked)
            {
                return;
            }

            chain.Revoked = true;
            if (await store.ReplaceAsync(chain, ct))
            {
                return;
            }
        }
    }
}
