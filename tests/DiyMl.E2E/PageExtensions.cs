using Microsoft.Playwright;

namespace DiyMl.E2E;

public static class PageExtensions
{
    /// <summary>Navigates and waits until the Blazor circuit is live, so clicks are handled.</summary>
    public static async Task GotoInteractiveAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForSelectorAsync("[data-interactive='true']");
    }
}
