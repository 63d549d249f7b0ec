using DiyMl.Domain.Accounts;
using Microsoft.AspNetCore.Identity;

namespace DiyMl.Web.Auth;

/// <summary>Where the browser goes next, or what to tell the person.</summary>
public sealed record LoginOutcome(string? RedirectTo, string? Error);

/// <summary>
/// What the log-in and register pages do once their fields are valid. The circuit cannot set a
/// cookie, so success is a one-time ticket URL the page opens with a full page load.
/// </summary>
public interface IBrowserLogin
{
    Task<LoginOutcome> LogInAsync(string email, string password, bool remember, string? returnUrl);

    /// <summary>Creates the account and signs it in; validation problems throw domain exceptions.</summary>
    Task<string> RegisterAsync(string email, string password, string? returnUrl);
}

public sealed class BrowserLogin(SignInManager<AppUser> signIn, AccountService accounts, LoginTickets tickets) : IBrowserLogin
{
    public async Task<LoginOutcome> LogInAsync(string email, string password, bool remember, string? returnUrl)
    {
        var user = await signIn.UserManager.FindByEmailAsync(email.Trim());
        var result = user is null ? SignInResult.Failed : await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return new(null, "This account is locked after too many failed attempts (or by an administrator). Try again in a few minutes.");
        }

        return result.Succeeded && user is not null
            ? new(CompleteUrl(tickets.Issue(user, remember), returnUrl), null)
            : new(null, "The e-mail address or the password is wrong.");
    }

    public async Task<string> RegisterAsync(string email, string password, string? returnUrl)
    {
        var user = await accounts.RegisterAsync(email, password);
        return CompleteUrl(tickets.Issue(user, remember: false), returnUrl);
    }

    private static string CompleteUrl(string ticket, string? returnUrl) =>
        $"/account/complete-login?ticket={Uri.EscapeDataString(ticket)}&returnUrl={Uri.EscapeDataString(BrowserLoginEndpoints.LocalOrHome(returnUrl))}";
}
