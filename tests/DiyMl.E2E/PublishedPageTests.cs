using DiyMl.Domain.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DiyMl.E2E;

public sealed class PublishedPageTests(PortalFixture portal)
{
    [Fact]
    public async Task On_a_tablet_the_published_page_shows_the_request_and_unpublish_works_after_confirming()
    {
        var page = await portal.NewPageAsync(1280, 800);
        var email = await page.RegisterAndLoginAsync();
        var model = await portal.SeedModelAsync(email);
        var userId = await portal.UserIdAsync(email);
        var publishing = portal.Services.GetRequiredService<PublishingService>();
        var published = await publishing.PublishAsync(userId, model.Id, "Shapes for the class", "Red discs and blue squares");

        await page.GotoInteractiveAsync("/published");
        await AssertUnpublishInViewAsync(page, 1280);
        await page.SnapAsync("published");

        await page.SetViewportSizeAsync(820, 1180);
        await AssertUnpublishInViewAsync(page, 820);
        await page.SnapAsync("published");
        Assert.Equal($"/models/{model.Id}/predict", await page.GetByTestId("published-try").GetAttributeAsync("href"));
        Assert.Contains($"{portal.BaseUrl}/api/published-models/{published.Publication.Id}/predictions", await page.GetByTestId("published-example").InnerTextAsync(), StringComparison.Ordinal);
        await Expect(page.GetByTestId("published-accuracy")).ToContainTextAsync("pictures it had not seen right");

        // Cancel keeps it published; confirming unpublishes it.
        await page.GetByTestId("unpublish").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        Assert.NotNull(await publishing.FindForModelAsync(userId, model.Id));

        await page.GetByTestId("unpublish").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Unpublish" }).ClickAsync();
        await Expect(page.GetByTestId("published-empty")).ToBeVisibleAsync();
        Assert.Null(await publishing.FindForModelAsync(userId, model.Id));
        await page.Context.CloseAsync();
    }

    /// <summary>The button is on screen in full: not cut off by the card or pushed past the viewport's right edge.</summary>
    private static async Task AssertUnpublishInViewAsync(IPage page, int width)
    {
        var button = page.GetByTestId("unpublish");
        await Expect(button).ToBeVisibleAsync();
        var box = (await button.BoundingBoxAsync())!;
        var card = (await page.GetByTestId("published-card").BoundingBoxAsync())!;
        Assert.True(box.X >= card.X && box.X + box.Width <= card.X + card.Width, $"Unpublish sticks out of its card at {width} px");
        Assert.True(box.X + box.Width <= width, $"Unpublish ends at {box.X + box.Width} px, past the {width} px screen");
        Assert.Equal(width, await page.EvaluateAsync<int>("() => document.documentElement.clientWidth"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), $"The page scrolls sideways at {width} px");
    }
}
