using System.Security.Claims;
using System.Text.Encodings.Web;
using DiyMl.Domain.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Auth;

/// <summary>Authenticates scripts by the <c>X-Api-Key</c> header; unknown, revoked or disabled accounts' keys fail.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys,
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    ActiveAccountCheck accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(AuthSchemes.ApiKeyHeader, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        var key = values.Count == 1 ? await keys.VerifyAsync(values[0], Context.RequestAborted) : null;
        var user = key is null ? null : await users.FindByIdAsync(key.OwnerId);
        if (user is null || !accounts.IsActive(user))
        {
            return AuthenticateResult.Fail("The API key is unknown, revoked or belongs to a disabled account.");
        }

        var principal = await signIn.CreateUserPrincipalAsync(user);

        // Usage reports name the key a script used, not only its owner; scopes say what it may do.
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(Endpoints.PredictionCallers.ApiKeyIdClaim, key!.Id));
        foreach (var scope in key.EffectiveScopes)
        {
            identity.AddClaim(new Claim(Security.ApiKeyScopeCheck.ScopeClaim, scope));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = AuthSchemes.ApiKey;
        return Task.CompletedTask;
    }
}
