using DiyMl.Domain.Datasets;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace DiyMl.E2E;

/// <summary>
/// The train panel while it learns (live chart, measured time left) and after (result, learning
/// curve), at 1366x768 and 820x1180, for looking at as a person would. Only with
/// DIYML_SCREENSHOTS set: it trains on 120 pictures, so the chart has something to draw.
/// </summary>
public sealed class TrainPanelScreenshotTests(PortalFixture portal)
{
    [Fact]
    public async Task The_train_panel_during_and_after_training_at_both_sizes()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DIYML_SCREENSHOTS")))
        {
            Assert.Skip("Set DIYML_SCREENSHOTS to a folder to take the train panel's screenshots.");
        }

        var page = await portal.NewPageAsync(1366, 768);
        var email = await page.RegisterAndLoginAsync();
        var userId = await portal.UserIdAsync(email);
        var dataset = await portal.Services.GetRequiredService<DatasetService>().CreateAsync(userId, "Discs and squares", "");
        var ingest = portal.Services.GetRequiredService<ImageIngestService>();
        foreach (var shape in new[] { "red", "blue" })
        {
            await ingest.IngestAsync(userId, dataset.Id, Enumerable.Range(0, 60).Select(i => ($"{shape}-{i}.png", (Stream)new MemoryStream(ModelSeeder.Shape(shape, 500 + i)))), shape);
        }

        await page.GotoInteractiveAsync($"/datasets/{dataset.Id}");
        await page.SnapAsync("train-panel-before");
        await page.GetByTestId("project-train").ClickAsync();
        await Expect(page.GetByTestId("live-images-chart")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await SnapBothAsync(page, "train-panel-during");
        await Expect(page.GetByTestId("learning-curve-sentence")).ToBeVisibleAsync(new() { Timeout = 180_000 });
        await SnapBothAsync(page, "train-panel-after");

        // The model page carries the same curve under its results.
        await page.GetByTestId("train-result").GetByText("See what it got wrong").ClickAsync();
        await Expect(page.GetByTestId("learning-curve-sentence")).ToBeVisibleAsync();
        foreach (var (width, height) in new[] { (1366, 768), (820, 1180) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.SnapAsync("model-page-curve");
            await page.GetByTestId("learning-curve").ScreenshotAsync(new() { Path = Path.Combine(Environment.GetEnvironmentVariable("DIYML_SCREENSHOTS")!, $"model-page-curve-panel-{width}.png") });
        }

        await page.Context.CloseAsync();
    }

    // The whole page, and the panel alone (in a full page it is a small part of a tall picture).
    private static async Task SnapBothAsync(Microsoft.Playwright.IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("DIYML_SCREENSHOTS")!;
        foreach (var (width, height) in new[] { (1366, 768), (820, 1180) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.SnapAsync(name);
            await page.GetByTestId("train-panel").ScreenshotAsync(new() { Path = Path.Combine(folder, $"{name}-panel-{width}.png") });
        }

        await page.SetViewportSizeAsync(1366, 768);
    }
}
