using DiyMl.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DiyMl.E2E;

/// <summary>
/// axe-core on every page of the journey, signed out and signed in: no serious or critical
/// violations. Set DIYML_SCREENSHOTS to a directory to also keep a screenshot of each page at
/// laptop (1366×768) and tablet (820×1180) size, for a person to look at.
/// </summary>
public sealed class JourneyAccessibilityTests(PortalFixture portal)
{
    private static readonly string? ScreenshotDirectory = Environment.GetEnvironmentVariable("DIYML_SCREENSHOTS");

    [Fact]
    public async Task Every_page_signed_out_has_no_serious_accessibility_violations()
    {
        var page = await portal.NewPageAsync(1366, 768);
        foreach (var path in new[] { "/account/login", "/account/register", "/", "/no-such-page" })
        {
            await VisitAsync(page, path, "signed-out");
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_page_signed_in_has_no_serious_accessibility_violations()
    {
        var page = await portal.NewPageAsync(1366, 768);
        var email = await page.RegisterAndLoginAsync();
        // An admin, so the admin page is swept too (the role shows after signing in again).
        await portal.MakeAdminAsync(email);
        await page.LogoutAsync();
        await page.LoginAsync(email);
        var first = await portal.SeedModelAsync(email);
        var second = await portal.SeedModelAsync(email);
        var userId = await portal.UserIdAsync(email);
        var test = await portal.Services.GetRequiredService<DiyMl.Domain.Testing.ModelTestService>().StartAsync(userId, first.Id, second.DatasetId);
        await WaitAsync(userId, test.Id);
        var run = (await portal.Services.GetRequiredService<DiyMl.Domain.Testing.ModelTestService>().ListAsync(userId, first.Id))[0];
        // Pages seen with something on them: a published model, and a prediction for the report's charts.
        await portal.Services.GetRequiredService<DiyMl.Domain.Publishing.PublishingService>().PublishAsync(userId, first.Id, "Shapes for the class", "Red discs and blue squares");
        await page.GotoInteractiveAsync($"/models/{first.Id}/predict");
        await page.Locator("input[type=file]").ChooseFilesAsync(new FilePayload { Name = "disc.png", MimeType = "image/png", Buffer = ModelSeeder.Shape("red", 777) });
        await page.GetByTestId("prediction-label").WaitForAsync();

        // The second model as if trained on the first INT8 network: its page carries the retrain notice.
        var store = portal.Services.GetRequiredService<DiyMl.Domain.Models.ITrainedModelStore>();
        var old = (await store.GetAsync(second.Id))!;
        old.FeatureSpace = DiyMl.Infrastructure.Ml.ResNetFeaturizer.VersionV2Int8V1;
        Assert.True(await store.ReplaceAsync(old));

        string[] paths =
        [
            "/", "/datasets", $"/datasets/{first.DatasetId}", $"/datasets/{first.DatasetId}/analysis", "/training",
            "/models", $"/models/{first.Id}", $"/models/{first.Id}/predict", $"/models/{first.Id}/report", $"/models/{first.Id}/card",
            $"/models/{first.Id}/tests/{run.Id}", $"/models/compare?a={first.Id}&b={second.Id}", $"/models/{second.Id}", "/jobs", $"/jobs/{first.JobId}",
            "/published", "/reports", "/api-keys", "/account/manage", "/admin", "/no-such-page",
        ];
        foreach (var path in paths)
        {
            await VisitAsync(page, path, "signed-in");
        }

        await page.GotoInteractiveAsync($"/models/{second.Id}");
        await Expect(page.GetByTestId("old-network-notice")).ToContainTextAsync("Retrain it");
        await page.GotoInteractiveAsync($"/models/{first.Id}");
        await Expect(page.GetByTestId("old-network-notice")).ToHaveCountAsync(0);

        await page.Context.CloseAsync();
    }

    private async Task VisitAsync(IPage page, string path, string who)
    {
        await page.GotoAsync(path);
        await page.WaitForSelectorAsync("[data-interactive='true']");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(page.Locator(".mud-progress-linear-indeterminate")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Accessibility.AssertNoSeriousViolationsAsync(page, $"{who} {path}");
        if (ScreenshotDirectory is not null)
        {
            Directory.CreateDirectory(ScreenshotDirectory);
            var name = who + "-" + string.Concat(path.Split('?')[0].Select(c => char.IsLetterOrDigit(c) ? c : '_')).Trim('_');
            await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, $"{name}-1366.png"), FullPage = true });
            await page.SetViewportSizeAsync(820, 1180);
            // Below 960 px the drawer closes with a slide: shoot once the page has moved to the left edge.
            await page.WaitForFunctionAsync("() => { const m = document.querySelector('.mud-main-content'); return !m || parseFloat(getComputedStyle(m).marginLeft) === 0; }");
            await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, $"{name}-820.png"), FullPage = true });
            await page.SetViewportSizeAsync(1366, 768);
        }
    }

    private async Task WaitAsync(string userId, string jobId)
    {
        var jobs = portal.Services.GetRequiredService<JobService>();
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = portal.Services.GetRequiredService<IJobNotifier>().SubscribeJob(jobId, u =>
        {
            if (u.IsFinished)
            {
                finished.TrySetResult();
            }
        });
        if (!(await jobs.GetAsync(userId, jobId)).IsFinished)
        {
            await finished.Task.WaitAsync(TimeSpan.FromMinutes(2));
        }
    }
}
