using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DiyMl.E2E;

public sealed class LearnFromMistakesTests(PortalFixture portal)
{
    [Fact]
    public async Task With_the_switch_on_a_tried_picture_is_kept_and_one_click_files_it_into_a_class()
    {
        var page = await portal.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        var model = await portal.SeedModelAsync(email);

        await page.GotoInteractiveAsync($"/models/{model.Id}");
        await Expect(page.GetByTestId("kept-prediction")).ToHaveCountAsync(0);
        await page.GetByLabel("Keep the pictures this model is asked about").CheckAsync();
        await Expect(page.GetByTestId("log-total")).ToHaveTextAsync("0 pictures kept");

        await page.GotoInteractiveAsync($"/models/{model.Id}/predict");
        await page.Locator("input[type=file]").First.ChooseFilesAsync(new FilePayload { Name = "odd-one.png", MimeType = "image/png", Buffer = ModelSeeder.Shape("red", 4242) });
        await page.GetByTestId("prediction-label").WaitForAsync();

        await page.GotoInteractiveAsync($"/models/{model.Id}");
        await Expect(page.GetByTestId("kept-prediction")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("kept-prediction")).ToContainTextAsync("Said red");
        await page.SnapAsync("prediction-log");
        await page.GetByLabel("Select odd-one.png").CheckAsync(new() { Force = true });
        await page.GetByTestId("file-class").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "blue" }).ClickAsync();
        await page.GetByTestId("file-selected").ClickAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("1 picture added to \"blue\"");

        await page.GotoInteractiveAsync($"/datasets/{model.DatasetId}");
        var blue = page.GetByTestId("class-item").Filter(new() { HasText = "blue" });
        await Expect(blue.GetByTestId("class-count")).ToHaveTextAsync("11");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_picture_tried_in_the_project_preview_can_be_filed_into_a_class_with_the_switch_off()
    {
        var page = await portal.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        var model = await portal.SeedModelAsync(email);

        await page.GotoInteractiveAsync($"/datasets/{model.DatasetId}");
        await page.GetByTestId("preview-panel").Locator("input[type=file]").ChooseFilesAsync(
            new FilePayload { Name = "tricky.png", MimeType = "image/png", Buffer = ModelSeeder.Shape("red", 8484) });
        await Expect(page.GetByTestId("preview-sentence")).ToContainTextAsync("red");
        await page.GetByTestId("preview-file-class").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "blue" }).ClickAsync();
        await page.GetByTestId("preview-file").ClickAsync();

        await Expect(page.GetByTestId("preview-filed")).ToContainTextAsync("Added to \"blue\"");
        var blue = page.GetByTestId("class-item").Filter(new() { HasText = "blue" });
        await Expect(blue.GetByTestId("class-count")).ToHaveTextAsync("11");
        await page.Context.CloseAsync();
    }
}
