using System.IO.Compression;
using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DiyMl.E2E;

public sealed class ModelUseTests(PortalFixture portal)
{
    [Fact]
    public async Task Publish_a_model_then_predict_a_picture_in_the_browser_and_see_the_top_label()
    {
        var page = await portal.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        var model = await portal.SeedModelAsync(email);

        await page.GotoInteractiveAsync($"/models/{model.Id}");
        await page.Locator("[data-testid=publish-name] input, input[data-testid=publish-name]").First.FillAsync("Shapes for scripts");
        await page.GetByTestId("publish").ClickAsync();
        await page.GetByTestId("published-as").WaitForAsync();
        Assert.Contains("Shapes for scripts", await page.GetByTestId("published-as").InnerTextAsync());

        await page.GotoInteractiveAsync("/published");
        Assert.Equal("Shapes for scripts", await page.GetByTestId("published-name").First.InnerTextAsync());

        await page.GotoInteractiveAsync($"/models/{model.Id}/predict");
        await page.Locator("input[type=file]").ChooseFilesAsync(new FilePayload { Name = "disc.png", MimeType = "image/png", Buffer = ModelSeeder.Shape("red", 777) });
        await page.GetByTestId("prediction-label").WaitForAsync();

        Assert.Equal("red", (await page.GetByTestId("prediction-label").InnerTextAsync()).Trim());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_prediction_shows_up_in_the_report_chart_and_the_model_card_opens()
    {
        var page = await portal.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        var model = await portal.SeedModelAsync(email);

        await page.GotoInteractiveAsync($"/models/{model.Id}/predict");
        await page.Locator("input[type=file]").ChooseFilesAsync(new FilePayload { Name = "square.png", MimeType = "image/png", Buffer = ModelSeeder.Shape("blue", 778) });
        await page.GetByTestId("prediction-label").WaitForAsync();

        await page.GotoInteractiveAsync($"/models/{model.Id}/report");
        Assert.Equal("1", (await page.GetByTestId("usage-total").InnerTextAsync()).Trim());
        Assert.Equal("1", await page.GetByTestId("chart-per-day").GetAttributeAsync("data-total"));
        Assert.StartsWith("1 prediction in all.", (await page.GetByTestId("chart-per-day").GetByTestId("chart-summary").InnerTextAsync()).Trim(), StringComparison.Ordinal);

        await page.GetByTestId("open-card").ClickAsync();
        await page.GetByTestId("model-card").WaitForAsync();
        Assert.Contains("red", await page.GetByTestId("card-classes").InnerTextAsync());
        Assert.True(await page.GetByTestId("card-limits").Locator("li").CountAsync() > 0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_zip_of_labelled_folders_uploaded_on_the_model_page_runs_a_test_and_shows_its_accuracy()
    {
        var page = await portal.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        var model = await portal.SeedModelAsync(email);
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var shape in new[] { "red", "blue" })
            {
                for (var i = 0; i < 4; i++)
                {
                    await using var entry = archive.CreateEntry($"test/{shape}/{shape}-{i}.png").Open();
                    await entry.WriteAsync(ModelSeeder.Shape(shape, 900 + i));
                }
            }
        }

        await page.GotoInteractiveAsync($"/models/{model.Id}");
        await page.GetByTestId("zip-test").Locator("input[type=file]")
            .ChooseFilesAsync(new FilePayload { Name = "test-set.zip", MimeType = "application/zip", Buffer = zip.ToArray() });

        // The upload, unpacking and test-set creation share two cores with the other test projects: allow them time.
        await page.GetByTestId("zip-test-created").WaitForAsync(new() { Timeout = 60_000 });
        Assert.Contains("8 pictures added", await page.GetByTestId("zip-test-created").InnerTextAsync());
        await Expect(page.GetByTestId("run-accuracy").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ %$"));
        var accuracy = double.Parse((await page.GetByTestId("run-accuracy").First.InnerTextAsync()).TrimEnd('%', ' '), CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 75, $"accuracy {accuracy}% on discs and squares the model was trained to tell apart");
        await page.Context.CloseAsync();
    }
}
