using DiyMl.Domain.Accounts;
using Microsoft.AspNetCore.Antiforgery;
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

        // Antiforgery is checked here, not by the form binder, so a missing token is a plain 400 rather than an exception page.
        account.MapPost("/logout", LogoutAsync).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    internal static async Task<RedirectHttpResult> CompleteLoginAsync(
        [FromQuery] string? ticket,
        [FromQuery] string? returnUrl,
        LoginTickets tickets,
        UserManager<AppUser> users,
        ActiveAccountCheck accounts,
        SignInManager<AppUser> signIn)
    {
        var redeemed = await tickets.RedeemAsync(ticket, users, accounts);
        if (redeemed is not { } login)
        {
            return TypedResults.LocalRedirect("/account/login?expired=true" + ReturnQuery(returnUrl));
        }

        await signIn.SignInAsync(login.User, isPersistent: login.Remember);
        return TypedResults.LocalRedirect(LocalOrHome(returnUrl));
    }

    internal static async Task<Results<RedirectHttpResult, ContentHttpResult>> LogoutAsync(
        HttpContext http, IAntiforgery antiforgery, SignInManager<AppUser> signIn)
    {
        bool valid;
        try
        {
            valid = await antiforgery.IsRequestValidAsync(http);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            valid = false;
        }

        if (!valid)
        {
            return TypedResults.Text("This sign-out request did not come from a DIY ML page. Use the Log out button.", statusCode: StatusCodes.Status400BadRequest);
        }

        var returnUrl = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(http.RequestAborted))["returnUrl"].ToString() : null;
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(LocalOrHome(returnUrl));
    }

    /// <summary>
    /// Only paths on this site: an open redirect would let a phishing link borrow our login page.
    /// Control characters and whitespace are refused too (browsers drop a tab, so
    /// <c>/\t/evil.example</c> would become <c>//evil.example</c>).
    /// </summary>
    public static string LocalOrHome(string? returnUrl) =>
        returnUrl is { Length: > 0 and < 2048 } url && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains("://", StringComparison.Ordinal)
        && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\')
            ? url
            : "/";

    private static string ReturnQuery(string? returnUrl) =>
        LocalOrHome(returnUrl) is var url && url != "/" ? "&returnUrl=" + Uri.EscapeDataString(url) : "";
}
