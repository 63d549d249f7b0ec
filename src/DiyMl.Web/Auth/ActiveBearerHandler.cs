using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Auth;

/// <summary>Identity's bearer token handler checks signature and expiry only; this adds the account and refresh-chain check.</summary>
public sealed class ActiveBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ActiveAccountCheck accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var inner = await Context.AuthenticateAsync(IdentityConstants.BearerScheme);
        if (inner.None || !inner.Succeeded)
        {
            return inner.Failure is { } failure ? AuthenticateResult.Fail(failure) : AuthenticateResult.NoResult();
        }

        if (await accounts.FindActiveAsync(inner.Principal) is null)
        {
            return AuthenticateResult.Fail("The account is disabled or this token was revoked; log in again.");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(inner.Principal, inner.Properties, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
