using DiyMl.Domain.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DiyMl.E2E;

/// <summary>The journey of someone who does not program, on the dataset page that is their project screen.</summary>
public sealed class ProjectScreenTests(PortalFixture portal)
{
    [Fact]
    public async Task Create_a_project_add_two_classes_train_and_try_a_picture_in_plain_words()
    {
        var page = await portal.NewPageAsync(1366, 768);
        await page.RegisterAndLoginAsync();
        await page.GotoInteractiveAsync("/datasets");
        await page.GetByTestId("new-dataset").ClickAsync();
        await page.GetByLabel("Name").FillAsync("Discs and squares");
        await page.GetByTestId("create-dataset").ClickAsync();
        await Expect(page.GetByTestId("dataset-name")).ToHaveTextAsync("Discs and squares");

        foreach (var shape in new[] { "red", "blue" })
        {
            await page.GetByTestId("project-add-class").ClickAsync();
            await page.Locator(".mud-dialog").GetByLabel("Class name").FillAsync(shape);
            await page.GetByTestId("prompt-ok").ClickAsync();
            var card = page.GetByTestId("class-card").Filter(new() { Has = page.GetByTestId("class-card-name").GetByText(shape, new() { Exact = true }) });
            await card.Locator("input[type=file]").ChooseFilesAsync(Enumerable.Range(0, 8)
                .Select(i => new FilePayload { Name = $"{shape}-{i}.png", MimeType = "image/png", Buffer = ModelSeeder.Shape(shape, i) }));
            await Expect(card.GetByTestId("class-card-status")).ToHaveTextAsync("8 pictures added."); // or says why not
            await Expect(card.GetByTestId("class-card-count")).ToHaveTextAsync("8 pictures");
        }

        await Expect(page.GetByTestId("train-hint")).ToContainTextAsync("Learns from");
        await page.GetByTestId("project-train").ClickAsync();
        await Expect(page.GetByTestId("train-result-sentence")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"It got \d+ of 4 pictures it had not seen right \(\d+ %\)"),
            new() { Timeout = 180_000 });
        // What more pictures would do, in a sentence, with the curve's figures as a table beside the chart.
        await Expect(page.GetByTestId("learning-curve-sentence")).ToContainTextAsync(
            new System.Text.RegularExpressions.Regex("^More pictures (would likely help|of the same kind are unlikely to help)"));
        await Expect(page.GetByTestId("learning-curve-table").Locator("tbody tr")).ToHaveCountAsync(4);
        await Expect(page.GetByTestId("learning-curve-table").Locator("tbody tr").Last).ToContainTextAsync("12 pictures");
        await Expect(page.GetByTestId("live-trials-text")).ToContainTextAsync("Tried 9 settings; the best");
        await page.SnapAsync("train-panel-after");
        await Expect(page.GetByTestId("version")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("version-link")).ToContainTextAsync("Version 1 · ");

        await page.GetByTestId("preview-panel").Locator("input[type=file]").ChooseFilesAsync(
            new FilePayload { Name = "try.png", MimeType = "image/png", Buffer = ModelSeeder.Shape("red", 99) });
        await Expect(page.GetByTestId("preview-sentence")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("It is (red|blue) — (very sure|fairly sure|unsure)"));

        await Accessibility.AssertNoSeriousViolationsAsync(page, "project screen");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_training_wizard_does_not_offer_test_sets()
    {
        var page = await portal.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        var userId = await portal.UserIdAsync(email);
        var datasets = portal.Services.GetRequiredService<DatasetService>();
        await datasets.CreateAsync(userId, "Holiday photos", null);
        var test = await datasets.CreateAsync(userId, "Test pictures · 1 Dec", null);
        await datasets.SetPurposeAsync(userId, test.Id, DatasetPurpose.Test);

        await page.GotoInteractiveAsync("/training");
        await page.GetByTestId("dataset-select").ClickAsync();
        var options = page.Locator(".mud-popover-open .mud-list-item");
        await Expect(options.Filter(new() { HasText = "Holiday photos" })).ToHaveCountAsync(1);
        await Expect(options.Filter(new() { HasText = "Test pictures" })).ToHaveCountAsync(0);

        await page.GotoInteractiveAsync("/datasets");
        await Expect(page.GetByTestId("dataset-card")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Deleting_a_model_leaves_a_working_page()
    {
        var page = await portal.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        var model = await portal.SeedModelAsync(email);

        await page.GotoInteractiveAsync($"/models/{model.Id}");
        await page.GetByTestId("delete-model").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/models$"));
        await Expect(page.Locator(".mud-overlay")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-interactive='true']")).ToHaveCountAsync(1);
        // The circuit still answers clicks: the navigation drawer takes us to the datasets.
        await page.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = "Datasets" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Datasets", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#components-reconnect-modal[open], .components-reconnect-show")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
