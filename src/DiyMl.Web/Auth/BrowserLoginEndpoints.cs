using DiyMl.Domain.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace DiyMl.Web.Auth;

/// <summary>The two plain HTTP requests the browser needs to get and drop the auth cookie.</summary>
public static class BrowserLoginEndpoints
{
    public static IEndpointRouteBuilder MapBrowserLoginEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();
        account.MapGet("/complete-login", CompleteLoginAsync).AllowAnonymous();
        account.MapPost("/logout", LogoutAsync).AllowAnonymous();
        return app;
    }

    internal static async Task<RedirectHttpResult> CompleteLoginAsync(
        [FromQuery] string? ticket,
        [FromQuery] string? returnUrl,
        LoginTickets tickets,
        UserManager<AppUser> users,
        SignInManager<AppUser> signIn)
    {
        var redeemed = await tickets.RedeemAsync(ticket, users);
        if (redeemed is not { } login)
        {
            return TypedResults.LocalRedirect("/account/login?expired=true" + ReturnQuery(returnUrl));
        }

        await signIn.SignInAsync(login.User, isPersistent: login.Remember);
        return TypedResults.LocalRedirect(LocalOrHome(returnUrl));
    }

    internal static async Task<RedirectHttpResult> LogoutAsync([FromForm] string? returnUrl, SignInManager<AppUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(LocalOrHome(returnUrl));
    }

    /// <summary>Only paths on this site: an open redirect would let a phishing link borrow our login page.</summary>
    public static string LocalOrHome(string? returnUrl) =>
        returnUrl is { Length: > 0 and < 2048 } url && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains("://", StringComparison.Ordinal)
            ? url
            : "/";

    private static string ReturnQuery(string? returnUrl) =>
        LocalOrHome(returnUrl) is var url && url != "/" ? "&returnUrl=" + Uri.EscapeDataString(url) : "";
}
