using Microsoft.Playwright;

namespace DiyMl.E2E;

public sealed class AccountsTests(PortalFixture portal)
{
    [Fact]
    public async Task Person_registers_logs_out_logs_in_through_the_browser_and_is_greeted()
    {
        var page = await portal.NewPageAsync();

        var email = await page.RegisterAndLoginAsync();
        Assert.Contains(email, await page.GetByTestId("greeting").InnerTextAsync());

        await page.LogoutAsync();
        Assert.Equal(0, await page.GetByTestId("greeting").CountAsync());

        await page.LoginAsync(email);
        Assert.Contains(email, await page.GetByTestId("greeting").InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Wrong_password_in_the_browser_says_so_and_stays_on_the_login_page()
    {
        var page = await portal.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        await page.LogoutAsync();

        await page.GotoInteractiveAsync("/account/login");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("not-the-password");
        await page.Locator("form button[type=submit]").ClickAsync();

        await page.GetByTestId("login-error").WaitForAsync();
        Assert.Contains("wrong", await page.GetByTestId("login-error").InnerTextAsync());
        Assert.EndsWith("/account/login", new Uri(page.Url).AbsolutePath);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Anonymous_visitor_of_a_private_page_is_sent_to_login_and_back_after()
    {
        var page = await portal.NewPageAsync(width: 800);
        var email = await page.RegisterAndLoginAsync();
        await page.LogoutAsync();

        await page.GotoAsync("/account/manage");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.WaitForSelectorAsync("[data-interactive='true']");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(AccountSteps.Password);
        await page.Locator("form button[type=submit]").ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/account/manage", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }
}
