using DiyMl.Domain.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DiyMl.E2E;

public sealed class AccountsPagesTests(PortalFixture portal)
{
    [Fact]
    public async Task Api_key_is_shown_once_works_for_scripts_and_stops_after_revoking()
    {
        var page = await portal.NewPageAsync();
        await page.RegisterAndLoginAsync();
        await page.GotoInteractiveAsync("/api-keys");
        await page.GetByTestId("no-keys").WaitForAsync();

        await page.GetByLabel("Name of the new key").FillAsync("e2e script");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var keyField = page.GetByTestId("new-key").Locator("input");
        await keyField.WaitForAsync();
        var key = await keyField.InputValueAsync();
        Assert.StartsWith("dml_", key);

        using var http = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(200, (int)(await http.GetAsync("/api/datasets", TestContext.Current.CancellationToken)).StatusCode); // a default key reads, but does not manage keys

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke e2e script" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await page.GetByTestId("no-keys").WaitForAsync();
        Assert.Equal(0, await page.GetByTestId("new-key").CountAsync());
        Assert.Equal(401, (int)(await http.GetAsync("/api/datasets", TestContext.Current.CancellationToken)).StatusCode);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Admin_locks_a_user_after_confirming_and_the_user_cannot_log_in()
    {
        var victimPage = await portal.NewPageAsync();
        var victim = await victimPage.RegisterAndLoginAsync();
        await victimPage.LogoutAsync();

        var page = await portal.NewPageAsync(width: 800);
        var admin = await page.RegisterAndLoginAsync();
        await portal.MakeAdminAsync(admin);
        await page.LogoutAsync();
        await page.LoginAsync(admin);

        await page.GotoInteractiveAsync("/admin");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = victim });
        await row.GetByRole(AriaRole.Button, new() { Name = $"Lock {victim}" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Lock" }).ClickAsync();
        await row.GetByText("Locked").WaitForAsync();

        await victimPage.GotoInteractiveAsync("/account/login");
        await victimPage.GetByLabel("E-mail").FillAsync(victim);
        await victimPage.GetByLabel("Password", new() { Exact = true }).FillAsync(AccountSteps.Password);
        await victimPage.Locator("form button[type=submit]").ClickAsync();
        await victimPage.GetByTestId("login-error").WaitForAsync();
        Assert.Contains("locked", await victimPage.GetByTestId("login-error").InnerTextAsync());
        await page.Context.CloseAsync();
        await victimPage.Context.CloseAsync();
    }

    [Fact]
    public async Task People_who_are_not_admins_see_no_admin_link()
    {
        // The first person to register becomes Admin; whoever registers after someone else never does.
        var first = await portal.NewPageAsync();
        await first.RegisterAndLoginAsync();
        await first.Context.CloseAsync();
        var page = await portal.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
            Assert.False(user!.IsAdmin);
        }

        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Admin" }).CountAsync());
        await page.Context.CloseAsync();
    }
}
