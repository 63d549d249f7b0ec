using DiyMl.Domain.Accounts;
using DiyMl.Web.Security;

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
    Task<string> RegisterAsync(string email, string password, string? returnUrl, string? inviteCode = null);

    /// <summary>
    /// After this browser changed the password (which ends every session), the URL that signs
    /// this browser in again with the new security stamp.
    /// </summary>
    Task<string> RenewAsync(string userId, string returnUrl);
}

/// <summary>
/// Throttled like the REST endpoints, by the address the circuit connected from (the circuit's
/// scope is created during that connection's request, so the accessor still sees it).
/// </summary>
public sealed class BrowserLogin(
    PasswordCheck passwords,
    AccountService accounts,
    LoginTickets tickets,
    LoginThrottle throttle,
    Microsoft.AspNetCore.Identity.UserManager<AppUser> users,
    IHttpContextAccessor http) : IBrowserLogin
{
    private readonly string _address = ClientAddress.Of(http.HttpContext);

    public async Task<LoginOutcome> LogInAsync(string email, string password, bool remember, string? returnUrl)
    {
        try
        {
            var (status, user) = await passwords.CheckAsync(email, password, _address);
            return status switch
            {
                PasswordCheckStatus.Succeeded => new(CompleteUrl(await tickets.IssueAsync(user!, remember), returnUrl), null),
                PasswordCheckStatus.Disabled => new(null, PasswordCheck.DisabledMessage),
                _ => new(null, PasswordCheck.WrongMessage),
            };
        }
        catch (TooManyAttemptsException ex)
        {
            return new(null, $"Too many wrong passwords. For your safety, wait {ex.RetryAfterSeconds} seconds and try again.");
        }
    }

    public async Task<string> RegisterAsync(string email, string password, string? returnUrl, string? inviteCode = null)
    {
        if (throttle.TakeAttempt(_address) is { } wait)
        {
            throw new TooManyAttemptsException(wait);
        }

        var user = await accounts.RegisterAsync(email, password, inviteCode);
        return CompleteUrl(await tickets.IssueAsync(user, remember: false), returnUrl);
    }

    public async Task<string> RenewAsync(string userId, string returnUrl)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new Domain.Common.NotFoundException("User", userId);
        return CompleteUrl(await tickets.IssueAsync(user, remember: false), returnUrl);
    }

    private static string CompleteUrl(string ticket, string? returnUrl) =>
        $"/account/complete-login?ticket={Uri.EscapeDataString(ticket)}&returnUrl={Uri.EscapeDataString(BrowserLoginEndpoints.LocalOrHome(returnUrl))}";
}
