using System.Security.Claims;
using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Web.Auth;
using DiyMl.Web.Security;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Endpoints;

/// <summary>
/// Register, log in and refresh for scripts. Log-in answers Identity's bearer token response
/// ({tokenType, accessToken, expiresIn, refreshToken}), written by the bearer handler itself.
/// Every sign-in starts a refresh chain: each refresh token works once, and a second use of
/// one revokes the chain (see <see cref="RefreshTokenService"/>).
/// </summary>
public static class AuthEndpoints
{
    public sealed record RegisterRequest(string? Email, string? Password, string? InviteCode = null);

    public sealed record LoginRequest(string? Email, string? Password);

    public sealed record RefreshRequest(string? RefreshToken);

    public sealed record RegisteredUser(string Id, string Email, IReadOnlyList<string> Roles);

    /// <summary>Bodies here are a few hundred bytes; anything near this is an attack or a mistake.</summary>
    private const long MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Authentication")
            .WithMetadata(new BodySizeLimit(MaxBodyBytes));
        auth.MapPost("/register", RegisterAsync).WithName("Register").AllowAnonymous()
            .WithSummary("Create an account; the first account on a fresh portal becomes Admin.");
        auth.MapPost("/login", LoginAsync).WithName("Login").AllowAnonymous()
            .Produces<AccessTokenResponse>()
            .WithSummary("Exchange e-mail and password for a bearer access token and a refresh token.");
        auth.MapPost("/refresh", RefreshAsync).WithName("RefreshToken").AllowAnonymous()
            .Produces<AccessTokenResponse>()
            .WithSummary("Exchange a refresh token (once) for a new access token and a new refresh token.");
        auth.MapPost("/sign-out-everywhere", SignOutEverywhereAsync).WithName("SignOutEverywhere")
            .WithMetadata(new RequiresApiScope(ApiKeyScopes.Manage))
            .WithSummary("End every browser session and token of your account within seconds; API keys keep working.");
        return api;
    }

    private sealed record BodySizeLimit(long? MaxRequestBodySize) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata;

    internal static async Task<Created<RegisteredUser>> RegisterAsync(
        RegisterRequest request, HttpContext http, AccountService accounts, LoginThrottle throttle, CancellationToken ct)
    {
        if (throttle.TakeAttempt(ClientAddress.Of(http)) is { } wait)
        {
            throw new TooManyAttemptsException(wait);
        }

        var user = await accounts.RegisterAsync(request.Email, request.Password, request.InviteCode, ct);
        return TypedResults.Created((string?)null, new RegisteredUser(user.Id, user.Email, user.Roles));
    }

    internal static async Task<Results<SignInHttpResult, ProblemHttpResult>> LoginAsync(
        LoginRequest request, HttpContext http, PasswordCheck passwords, SignInManager<AppUser> signIn, RefreshTokenService refresh, CancellationToken ct)
    {
        var errors = AccountInput.Validate(request.Email, request.Password);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        var (status, user) = await passwords.CheckAsync(request.Email!, request.Password!, ClientAddress.Of(http));
        return status switch
        {
            PasswordCheckStatus.Succeeded => await BearerSignInAsync(signIn, user!, await refresh.StartAsync(user!.Id, ct)),
            PasswordCheckStatus.Disabled => Refused("Account locked", PasswordCheck.DisabledMessage),
            _ => Refused("Wrong e-mail or password", PasswordCheck.WrongMessage),
        };
    }

    internal static async Task<Results<SignInHttpResult, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request,
        HttpContext http,
        SignInManager<AppUser> signIn,
        IOptionsMonitor<BearerTokenOptions> bearerOptions,
        RefreshTokenService refresh,
        ActiveAccountCheck accounts,
        LoginThrottle throttle,
        TimeProvider clock,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken) || request.RefreshToken.Length > 8192)
        {
            throw new DomainValidationException("refreshToken", "Send the refresh token you got from /api/auth/login.");
        }

        if (throttle.TakeAttempt(ClientAddress.Of(http)) is { } wait)
        {
            throw new TooManyAttemptsException(wait);
        }

        var protector = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = protector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
            || await accounts.FindActiveAsync(ticket.Principal) is not { } user
            || await refresh.RotateAsync(
                ticket.Principal.FindFirstValue(ActiveAccountCheck.RefreshChainClaim),
                ticket.Principal.FindFirstValue(ActiveAccountCheck.RefreshTokenClaim),
                user.Id,
                ct) is not { } chain)
        {
            return Refused("Refresh token not accepted", "The refresh token is invalid, expired, already used or revoked; log in again.");
        }

        return await BearerSignInAsync(signIn, user, chain);
    }

    internal static async Task<NoContent> SignOutEverywhereAsync(ClaimsPrincipal principal, AccountService accounts)
    {
        await accounts.SignOutEverywhereAsync(principal.GetUserId());
        return TypedResults.NoContent();
    }

    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> BearerSignInAsync(SignInManager<AppUser> signIn, AppUser user, RefreshChain chain)
    {
        var principal = await signIn.CreateUserPrincipalAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(ActiveAccountCheck.RefreshChainClaim, chain.Id));
        identity.AddClaim(new Claim(ActiveAccountCheck.RefreshTokenClaim, chain.CurrentTokenId));
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static ProblemHttpResult Refused(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status401Unauthorized);
}
