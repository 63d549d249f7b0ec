using DiyMl.Domain.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DiyMl.E2E;

/// <summary>Browser steps other tests start from: a fresh, signed-in user.</summary>
public static class AccountSteps
{
    public const string Password = "Correct-Horse-9";

    // Signing in takes 1.6-2.4 s in a whole E2E run, but 2 of about 130 in four runs on 2026-12-02 took over 20 s while the portal
    // was still producing its INT8 network on 2 cores shared with Chromium and the other tests.
    // Those were failures of the test, not of what it checks, so it waits as long as the other two-core steps.
    private static readonly LocatorWaitForOptions GreetingWait = new() { Timeout = 60_000 };

    /// <summary>
    /// Registers a new account through the register page (which signs the new user in) and
    /// waits until the home page greets them. Returns the e-mail address used.
    /// </summary>
    public static async Task<string> RegisterAndLoginAsync(this IPage page, string? email = null)
    {
        email ??= $"e2e-{Guid.NewGuid():N}@example.org";
        await page.GotoInteractiveAsync("/account/register");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("Password again").FillAsync(Password);
        await page.Locator("form button[type=submit]").ClickAsync();
        await page.GetByTestId("greeting").WaitForAsync(GreetingWait);
        await page.WaitForSelectorAsync("[data-interactive='true']");
        return email;
    }

    /// <summary>Logs in an existing account through the login page and waits for the home page.</summary>
    public static async Task LoginAsync(this IPage page, string email, string password = Password)
    {
        await page.GotoInteractiveAsync("/account/login");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.Locator("form button[type=submit]").ClickAsync();
        await page.GetByTestId("greeting").WaitForAsync(GreetingWait);
        await page.WaitForSelectorAsync("[data-interactive='true']");
    }

    public static async Task LogoutAsync(this IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Register" }).First.WaitForAsync();
    }

    /// <summary>Gives an account the Admin role (the first account gets it on its own; tests run in any order). Sign in again to see it.</summary>
    public static async Task MakeAdminAsync(this PortalFixture portal, string email)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(email);
        if (!user!.IsAdmin)
        {
            var result = await users.AddToRoleAsync(user, AppRoles.Admin);
            Assert.True(result.Succeeded);
        }
    }
}
