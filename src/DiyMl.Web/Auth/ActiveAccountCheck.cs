using System.Security.Claims;
using DiyMl.Domain.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Auth;

/// <summary>
/// Credentials outlive the moment they were issued. Disabling an account, changing its password
/// or "sign out everywhere" renews the security stamp, so a cookie, token or circuit carrying an
/// old stamp, any credential of a disabled account, or a token from a revoked refresh chain stops
/// working at its next check. Wrong passwords never make an account inactive.
/// </summary>
public sealed class ActiveAccountCheck(UserManager<AppUser> users, IOptions<IdentityOptions> options, RefreshTokenService refresh, TimeProvider clock)
{
    public const string RefreshChainClaim = "diyml:refresh_chain";

    public const string RefreshTokenClaim = "diyml:refresh_token";

    public async Task<AppUser?> FindActiveAsync(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(options.Value.ClaimsIdentity.UserIdClaimType);
        var user = id is null ? null : await users.FindByIdAsync(id);
        if (user is null || !IsActive(user))
        {
            return null;
        }

        var stamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        if (!string.Equals(stamp, user.SecurityStamp, StringComparison.Ordinal))
        {
            return null;
        }

        return principal.FindFirstValue(RefreshChainClaim) is { } chain && await refresh.IsRevokedAsync(chain) ? null : user;
    }

    public bool IsActive(AppUser user) => !user.IsDisabledAt(clock.GetUtcNow().UtcDateTime);
}
