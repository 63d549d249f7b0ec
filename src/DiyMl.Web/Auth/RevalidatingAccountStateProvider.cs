using DiyMl.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Auth;

/// <summary>
/// A Blazor circuit keeps the identity it started with; every few seconds this re-checks the
/// account (still there, not disabled, same security stamp). When it fails the page becomes
/// anonymous and <see cref="SessionEnded"/> tells the redirect to say why.
/// </summary>
public sealed class RevalidatingAccountStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<SecurityOptions> security, SessionEnded ended)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(security.Value.SessionCheckSeconds);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var active = await scope.ServiceProvider.GetRequiredService<ActiveAccountCheck>().FindActiveAsync(authenticationState.User) is not null;
        ended.Ended |= !active;
        return active;
    }
}

/// <summary>Per circuit: set once its session was ended from elsewhere (lock, password change, sign out everywhere).</summary>
public sealed class SessionEnded
{
    public bool Ended { get; set; }
}
