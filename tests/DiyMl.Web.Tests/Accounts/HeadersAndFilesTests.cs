using System.Net;
using DiyMl.Web.Auth;
using DiyMl.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.Accounts;

public sealed class HeadersAndFilesTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/api/datasets")]
    [InlineData("/health")]
    [InlineData("/no-such-page")]
    public async Task Every_response_carries_nosniff_referrer_permissions_and_a_real_csp(string path)
    {
        using var response = await portal.CreateClient().GetAsync(path, Ct);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("camera=(self)", response.Headers.GetValues("Permissions-Policy").Single());
        var csp = string.Join("; ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Matches("script-src 'self' 'nonce-[A-Za-z0-9+/=]+'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
    }

    [Fact]
    public async Task The_import_map_carries_the_nonce_of_its_responses_policy()
    {
        using var response = await portal.CreateClient().GetAsync("/account/login", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var nonce = System.Text.RegularExpressions.Regex.Match(string.Join(";", response.Headers.GetValues("Content-Security-Policy")), "'nonce-([^']+)'").Groups[1].Value;

        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", html);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_database_file_and_the_key_ring_are_private_to_the_portals_account()
    {
        await portal.CreateUserClientAsync(); // a sign-in creates the first data-protection key
        var keys = Path.Combine(portal.DataDirectory, "keys");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(portal.DataDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(portal.DataDirectory, "diyml.db")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        Assert.NotEmpty(Directory.GetFiles(keys));
        Assert.All(Directory.GetFiles(keys), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example")]
    public void A_return_url_that_could_leave_the_site_becomes_home(string returnUrl) =>
        Assert.Equal("/", BrowserLoginEndpoints.LocalOrHome(returnUrl));

    [Fact]
    public async Task Completing_a_login_with_a_tab_smuggling_return_url_lands_safely_at_home()
    {
        var email = PortalFactory.NewEmail();
        await portal.CreateUserClientAsync(email);
        var browser = await SecurityTestSteps.CookieClientAsync(portal, email);
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<DiyMl.Domain.Accounts.AppUser>>();
        var ticket = await portal.Services.GetRequiredService<LoginTickets>().IssueAsync((await users.FindByEmailAsync(email))!, remember: false);

        using var response = await browser.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(ticket)}&returnUrl=%2F%09%2Fevil.example", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_anonymous_logout_without_antiforgery_is_a_plain_400()
    {
        using var response = await portal.CreateClient().PostAsync("/account/logout", new FormUrlEncodedContent([]), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Log out button", body);
        Assert.DoesNotContain("Exception", body);
    }
}
