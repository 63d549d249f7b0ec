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
    /// Chooses files in a Blazor file input once the input is listening. Blazor wires an
    /// <c>InputFile</c> up in a round trip after it first renders; files set before that fire a
    /// change nobody hears (a person cannot pick files that fast, a test on a card that has just
    /// appeared can).
    /// </summary>
    public static async Task ChooseFilesAsync(this ILocator input, IEnumerable<FilePayload> files)
    {
        await WhenListeningAsync(input);
        await input.SetInputFilesAsync(files);
    }

    /// <inheritdoc cref="ChooseFilesAsync(ILocator, IEnumerable{FilePayload})"/>
    public static Task ChooseFilesAsync(this ILocator input, FilePayload file) => input.ChooseFilesAsync([file]);

    /// <inheritdoc cref="ChooseFilesAsync(ILocator, IEnumerable{FilePayload})"/>
    public static async Task ChooseFilesAsync(this ILocator input, params string[] paths)
    {
        await WhenListeningAsync(input);
        await input.SetInputFilesAsync(paths);
    }

    // Blazor's InputFile.init sets this counter on the element when it adds its change listener;
    // Playwright's own wait polls for it within the context's default timeout.
    private static async Task WhenListeningAsync(ILocator input) =>
        await input.Page.WaitForFunctionAsync("el => el._blazorInputFileNextFileId !== undefined", await input.ElementHandleAsync());

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
