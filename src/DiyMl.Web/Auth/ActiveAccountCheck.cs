using System.Security.Claims;
using DiyMl.Domain.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Auth;

/// <summary>
/// Bearer tokens and API keys outlive the moment they were issued. Locking an account or
/// changing its password renews the security stamp, so a token carrying an old stamp, or any
/// credential of a locked account, stops working on the next request.
/// </summary>
public sealed class ActiveAccountCheck(UserManager<AppUser> users, IOptions<IdentityOptions> options)
{
    public async Task<AppUser?> FindActiveAsync(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(options.Value.ClaimsIdentity.UserIdClaimType);
        if (id is null)
        {
            return null;
        }

        var user = await users.FindByIdAsync(id);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return null;
        }

        var stamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return string.Equals(stamp, user.SecurityStamp, StringComparison.Ordinal) ? user : null;
    }

    public async Task<bool> IsActiveAsync(AppUser user) => !await users.IsLockedOutAsync(user);
}
