using DiyMl.Domain.Datasets;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace DiyMl.E2E;

public sealed class LabelForMeTests(PortalFixture portal)
{
    [Fact]
    public async Task Unlabelled_pictures_get_suggested_classes_and_accepting_the_sure_ones_files_them()
    {
        var page = await portal.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        var model = await portal.SeedModelAsync(email);
        var files = new[] { ("red", 501), ("red", 502), ("blue", 503) }
            .Select(p => ($"new-{p.Item2}.png", (Stream)new MemoryStream(ModelSeeder.Shape(p.Item1, p.Item2))));
        await portal.Services.GetRequiredService<ImageIngestService>().IngestAsync(model.OwnerId, model.DatasetId, files);

        await page.GotoInteractiveAsync($"/datasets/{model.DatasetId}");
        var red = page.GetByTestId("class-item").Filter(new() { HasText = "red" });
        await Expect(red.GetByTestId("class-count")).ToHaveTextAsync("10");
        await page.GetByTestId("suggest-labels").ClickAsync();
        await Expect(page.GetByTestId("suggestion")).ToHaveCountAsync(3);
        await page.SnapAsync("label-for-me");

        // Accept everything at least 0 % sure: all three are filed into the class the model chose.
        await page.Locator("[data-testid=accept-threshold] input, input[data-testid=accept-threshold]").First.FillAsync("0");
        await page.GetByTestId("accept-sure").ClickAsync();
        await Expect(red.GetByTestId("class-count")).ToHaveTextAsync("12");
        var blue = page.GetByTestId("class-item").Filter(new() { HasText = "blue" });
        await Expect(blue.GetByTestId("class-count")).ToHaveTextAsync("11");
        await Expect(page.GetByTestId("dataset-counts")).Not.ToContainTextAsync("without a class");
        await Expect(page.GetByTestId("label-for-me")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
