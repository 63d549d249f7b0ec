using Bunit;
using DiyMl.Web.Auth;
using DiyMl.Web.Components.Pages.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.Components;

public sealed class LoginFormTests : MudBunitContext
{
    private readonly FakeBrowserLogin _login = new();

    public LoginFormTests() => Services.AddSingleton<IBrowserLogin>(_login);

    [Fact]
    public void Empty_form_asks_for_email_and_password_and_tries_nothing()
    {
        var cut = Render<Login>();

        cut.Find("form").Submit();

        Assert.Contains("Enter your e-mail address.", cut.Markup);
        Assert.Contains("Enter your password.", cut.Markup);
        Assert.Empty(_login.Attempts);
    }

    [Fact]
    public void Malformed_email_is_pointed_out_under_the_field()
    {
        var cut = Render<Login>();
        cut.Find("input[type=email]").Change("not-an-address");
        cut.Find("input[type=password]").Change("whatever-1A!");

        cut.Find("form").Submit();

        Assert.Contains("Enter a valid e-mail address, like name@example.org.", cut.Markup);
        Assert.Empty(_login.Attempts);
    }

    [Fact]
    public void Wrong_credentials_show_the_reason_and_stay_on_the_page()
    {
        _login.Outcome = new LoginOutcome(null, "The e-mail address or the password is wrong.");
        var cut = Render<Login>();
        cut.Find("input[type=email]").Change("ada@example.org");
        cut.Find("input[type=password]").Change("Wrong-Horse-1");

        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("The e-mail address or the password is wrong.", cut.Find("[data-testid=login-error]").TextContent));
        Assert.Equal(("ada@example.org", "Wrong-Horse-1"), _login.Attempts.Single());
        Assert.EndsWith("/", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void Right_credentials_load_the_page_that_sets_the_cookie()
    {
        _login.Outcome = new LoginOutcome("/account/complete-login?ticket=t&returnUrl=%2F", null);
        var cut = Render<Login>();
        cut.Find("input[type=email]").Change("ada@example.org");
        cut.Find("input[type=password]").Change("Correct-Horse-9");

        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.EndsWith("/account/complete-login?ticket=t&returnUrl=%2F", Services.GetRequiredService<NavigationManager>().Uri));
    }

    [Fact]
    public void Register_form_says_when_the_two_passwords_differ()
    {
        var cut = Render<Register>();
        cut.Find("input[type=email]").Change("ada@example.org");
        var passwords = cut.FindAll("input[type=password]");
        passwords[0].Change("Correct-Horse-9");
        cut.FindAll("input[type=password]")[1].Change("Correct-Horse-8");

        cut.Find("form").Submit();

        Assert.Contains("The two passwords are not the same.", cut.Markup);
        Assert.Empty(_login.Registrations);
    }

    private sealed class FakeBrowserLogin : IBrowserLogin
    {
        public List<(string Email, string Password)> Attempts { get; } = [];

        public List<string> Registrations { get; } = [];

        public LoginOutcome Outcome { get; set; } = new(null, "not configured");

        public Task<LoginOutcome> LogInAsync(string email, string password, bool remember, string? returnUrl)
        {
            Attempts.Add((email, password));
            return Task.FromResult(Outcome);
        }

        public Task<string> RegisterAsync(string email, string password, string? returnUrl, string? inviteCode = null)
        {
            Registrations.Add(email);
            return Task.FromResult("/");
        }

        public Task<string> RenewAsync(string userId, string returnUrl) => Task.FromResult(returnUrl);
    }
}
