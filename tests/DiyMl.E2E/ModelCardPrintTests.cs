using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DiyMl.E2E;

public sealed class ModelCardPrintTests(PortalFixture portal)
{
    [Fact]
    public async Task The_printed_model_card_is_the_card_alone_without_buttons_or_navigation()
    {
        var page = await portal.NewPageAsync(1366, 768);
        var email = await page.RegisterAndLoginAsync();
        var model = await portal.SeedModelAsync(email);

        await page.GotoInteractiveAsync($"/models/{model.Id}/card");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Print" })).ToBeVisibleAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });

        await Expect(page.GetByTestId("model-card")).ToBeVisibleAsync();
        await Expect(page.Locator(".mud-appbar")).ToBeHiddenAsync();
        await Expect(page.Locator(".mud-drawer")).ToBeHiddenAsync();
        Assert.Equal(0, await page.Locator("button:visible, .mud-button-root:visible").CountAsync());
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "← Report" })).ToBeHiddenAsync();
        // The card's own (component-scoped) styles reach the page: its table is ruled on paper.
        Assert.Equal("1px", await page.GetByTestId("card-classes").Locator("td").First.EvaluateAsync<string>("td => getComputedStyle(td).borderTopWidth"));
        // The card starts at the top left of the paper, not below an empty app bar's space.
        var card = (await page.GetByTestId("model-card").BoundingBoxAsync())!;
        Assert.True(card.Y < 60 && card.X < 60, $"The card starts at ({card.X}, {card.Y})");

        await page.SnapAsync("card-print");
        var folder = Environment.GetEnvironmentVariable("DIYML_SCREENSHOTS");
        if (!string.IsNullOrEmpty(folder))
        {
            await page.PdfAsync(new() { Path = Path.Combine(folder, "card-print.pdf"), Format = "A4", PrintBackground = true });
        }

        await page.Context.CloseAsync();
    }
}
