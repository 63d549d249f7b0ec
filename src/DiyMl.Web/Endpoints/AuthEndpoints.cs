using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Endpoints;

/// <summary>
/// Register, log in and refresh for scripts. Log-in answers Identity's bearer token response
/// ({tokenType, accessToken, expiresIn, refreshToken}), written by the bearer handler itself.
/// </summary>
public static class AuthEndpoints
{
    public sealed record RegisterRequest(string? Email, string? Password);

    public sealed record LoginRequest(string? Email, string? Password);

    public sealed record RefreshRequest(string? RefreshToken);

    public sealed record RegisteredUser(string Id, string Email, IReadOnlyList<string> Roles);

    /// <summary>Bodies here are a few hundred bytes; anything near this is an attack or a mistake.</summary>
    private const long MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").AllowAnonymous().WithTags("Authentication")
            .WithMetadata(new BodySizeLimit(MaxBodyBytes));
        auth.MapPost("/register", RegisterAsync).WithName("Register")
            .WithSummary("Create an account; the first account on a fresh portal becomes Admin.");
        auth.MapPost("/login", LoginAsync).WithName("Login")
            .Produces<AccessTokenResponse>()
            .WithSummary("Exchange e-mail and password for a bearer access token and a refresh token.");
        auth.MapPost("/refresh", RefreshAsync).WithName("RefreshToken")
            .Produces<AccessTokenResponse>()
            .WithSummary("Exchange a refresh token for a new access token.");
        return api;
    }

    private sealed record BodySizeLimit(long? MaxRequestBodySize) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata;

    internal static async Task<Created<RegisteredUser>> RegisterAsync(RegisterRequest request, AccountService accounts, CancellationToken ct)
    {
        var user = await accounts.RegisterAsync(request.Email, request.Password, ct);
        return TypedResults.Created((string?)null, new RegisteredUser(user.Id, user.Email, user.Roles));
    }

    internal static async Task<Results<EmptyHttpResult, ProblemHttpResult>> LoginAsync(LoginRequest request, SignInManager<AppUser> signIn)
    {
        var errors = AccountInput.Validate(request.Email, request.Password);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.Email!.Trim(), request.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return TypedResults.Empty; // the bearer handler has written the token response
        }

        return result.IsLockedOut
            ? TypedResults.Problem(
                title: "Account locked",
                detail: "This account is locked after too many failed attempts (or by an administrator); try again in a few minutes.",
                statusCode: StatusCodes.Status401Unauthorized)
            : TypedResults.Problem(
                title: "Wrong e-mail or password",
                detail: "The e-mail address or the password is wrong.",
                statusCode: StatusCodes.Status401Unauthorized);
    }

    internal static async Task<Results<SignInHttpResult, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request,
        SignInManager<AppUser> signIn,
        IOptionsMonitor<BearerTokenOptions> bearerOptions,
        TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken) || request.RefreshToken.Length > 8192)
        {
            throw new DomainValidationException("refreshToken", "Send the refresh token you got from /api/auth/login.");
        }

        var protector = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = protector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user
            || await signIn.UserManager.IsLockedOutAsync(user))
        {
            return TypedResults.Problem(
                title: "Refresh token not accepted",
                detail: "The refresh token is invalid, expired or revoked; log in again.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        var principal = await signIn.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }
}
