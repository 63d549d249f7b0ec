using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DiyMl.E2E;

/// <summary>The report's days are the browser's own: the server asks the browser for its time zone once per circuit.</summary>
public sealed class ViewerTimeZoneTests(PortalFixture portal)
{
    [Fact]
    public async Task A_prediction_made_now_counts_on_the_viewers_date_when_it_differs_from_the_UTC_date()
    {
        // A zone whose date is not today's UTC date at this moment, whatever the hour: twelve hours
        // behind before UTC noon, fourteen ahead after 10:00.
        var now = DateTime.UtcNow;
        var (zoneId, offset) = now.Hour < 11 ? ("Etc/GMT+12", TimeSpan.FromHours(-12)) : ("Pacific/Kiritimati", TimeSpan.FromHours(14));
        var localDay = now.Add(offset).ToString("d MMM", CultureInfo.InvariantCulture);
        var utcDay = now.ToString("d MMM", CultureInfo.InvariantCulture);
        Assert.NotEqual(utcDay, localDay);

        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            TimezoneId = zoneId,
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        var email = await page.RegisterAndLoginAsync();
        var model = await portal.SeedModelAsync(email);
        await page.GotoInteractiveAsync($"/models/{model.Id}/predict");
        await page.Locator("input[type=file]").ChooseFilesAsync(new FilePayload { Name = "disc.png", MimeType = "image/png", Buffer = ModelSeeder.Shape("red", 4242) });
        await page.GetByTestId("prediction-label").WaitForAsync();

        await page.GotoInteractiveAsync($"/models/{model.Id}/report");
        // The table sits in a closed "Show as a table"; open it as a person would.
        await page.GetByTestId("chart-per-day").GetByText("Show as a table").ClickAsync();
        var table = page.GetByTestId("chart-per-day").GetByTestId("chart-table");
        await Expect(table.GetByRole(AriaRole.Row, new() { Name = $"{localDay} 1", Exact = true })).ToHaveCountAsync(1);
        var last = table.Locator("tbody tr").Last;
        Assert.Equal(localDay, (await last.Locator("th").TextContentAsync())!.Trim());
        Assert.Equal("1", (await last.Locator("td").TextContentAsync())!.Trim());
        await Expect(table.GetByRole(AriaRole.Row, new() { Name = $"{utcDay} 1", Exact = true })).ToHaveCountAsync(0);
        await context.CloseAsync();
    }
}
