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

    /// <summary>
    /// Saves a screenshot when DIYML_SCREENSHOTS names a folder (for looking at pages as a person
    /// would); does nothing otherwise, so test runs stay quiet.
    /// </summary>
    public static async Task SnapAsync(this IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("DIYML_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        var size = page.ViewportSize;
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-{size?.Width}.png"), FullPage = true });
    }
}
