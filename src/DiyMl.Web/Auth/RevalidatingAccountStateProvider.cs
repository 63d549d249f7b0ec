using System.Security.Claims;
using DiyMl.Domain.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Auth;

/// <summary>
/// A Blazor circuit keeps the identity it started with; every minute this re-checks the
/// account (still there, not locked, same security stamp) and signs the page out if not.
/// </summary>
public sealed class RevalidatingAccountStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var principal = authenticationState.User;
        var id = principal.FindFirstValue(options.Value.ClaimsIdentity.UserIdClaimType);
        var user = id is null ? null : await users.FindByIdAsync(id);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return false;
        }

        var stamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return string.Equals(stamp, user.SecurityStamp, StringComparison.Ordinal);
    }
}
