using DiyMl.Domain.Accounts;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DiyMl.E2E;

public sealed class AccountsSecurityTests(PortalFixture portal)
{
    private async Task LockAsync(string email)
    {
        // The same service the admin page's Lock button calls; the acting admin is "someone else".
        await using var scope = portal.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        await scope.ServiceProvider.GetRequiredService<AccountService>().SetLockedAsync("000000000000000000000000", user!.Id, locked: true);
    }

    [Fact]
    public async Task An_admin_lock_sends_the_victims_open_page_to_sign_in_with_a_plain_message()
    {
        var page = await portal.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        await page.GotoInteractiveAsync("/account/manage");

        await LockAsync(email);

        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal), new() { Timeout = 30_000 });
        var message = page.GetByTestId("session-ended");
        await message.WaitForAsync();
        Assert.Contains("signed out", await message.InnerTextAsync());
        Assert.DoesNotContain("Exception", await page.ContentAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pages_work_under_the_content_security_policy_with_no_console_errors()
    {
        var page = await portal.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" || message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"{page.Url}: {error}");

        await page.RegisterAndLoginAsync();
        foreach (var path in new[] { "/", "/datasets", "/models", "/api-keys", "/account/manage" })
        {
            await page.GotoInteractiveAsync(path);
        }

        await page.GotoInteractiveAsync("/api-keys");
        await page.GetByRole(AriaRole.Link, new() { Name = "Datasets" }).First.ClickAsync(); // interactive navigation still works
        await page.WaitForURLAsync(url => url.Contains("/datasets", StringComparison.Ordinal));

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task After_a_password_change_the_fields_are_not_red_under_the_green_message()
    {
        var page = await portal.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        await page.GotoInteractiveAsync("/account/manage");

        await page.GetByLabel("Current password").FillAsync(AccountSteps.Password);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("Another-Horse-7");
        await page.GetByLabel("New password again").FillAsync("Another-Horse-7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();

        await page.GetByTestId("password-changed").WaitForAsync();
        await page.WaitForSelectorAsync("[data-interactive='true']");
        Assert.Equal(0, await page.Locator(".mud-input-error").CountAsync());
        Assert.EndsWith("/account/manage", new Uri(page.Url).AbsolutePath); // still signed in, with the new stamp
        await page.Context.CloseAsync();
        var again = await portal.NewPageAsync();
        await again.LoginAsync(email, "Another-Horse-7");
        await again.Context.CloseAsync();
    }

    [Fact]
    public async Task Registration_names_every_password_rule_still_missing_at_once()
    {
        var page = await portal.NewPageAsync();
        await page.GotoInteractiveAsync("/account/register");

        await page.GetByLabel("E-mail").FillAsync($"rules-{Guid.NewGuid():N}@example.org");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("abcdefgh");
        await page.GetByLabel("Password again").FillAsync("abcdefgh");
        await page.Locator("form button[type=submit]").ClickAsync();

        var error = page.GetByText("The password still needs");
        await error.WaitForAsync();
        var text = await error.InnerTextAsync();
        Assert.Contains("a digit", text);
        Assert.Contains("an upper-case letter", text);
        Assert.Contains("a symbol", text);
        await page.Context.CloseAsync();
    }
}
