using Microsoft.Playwright;

namespace DiyMl.E2E;

public sealed class HomePageTests(PortalFixture portal)
{
    [Fact]
    public async Task Home_page_renders_with_navigation_and_becomes_interactive()
    {
        var page = await portal.NewPageAsync();

        await page.GotoInteractiveAsync("/");

        Assert.Equal("DIY ML", await page.TitleAsync());
        Assert.True(await page.GetByRole(AriaRole.Link, new() { Name = "Datasets" }).First.IsVisibleAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Navigation_drawer_toggles_at_tablet_width()
    {
        var page = await portal.NewPageAsync(width: 800);
        await page.GotoInteractiveAsync("/");

        var datasets = page.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "Datasets" });
        var visibleBefore = await datasets.IsVisibleAsync();

        await page.GetByLabel("Toggle navigation").ClickAsync();

        // The drawer slides in or out; wait for the link to change state rather than sleeping.
        await datasets.WaitForAsync(new() { State = visibleBefore ? WaitForSelectorState.Hidden : WaitForSelectorState.Visible });
        Assert.NotEqual(visibleBefore, await datasets.IsVisibleAsync());
        await page.Context.CloseAsync();
    }
}
