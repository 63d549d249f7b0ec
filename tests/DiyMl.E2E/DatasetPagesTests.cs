using System.IO.Compression;
using Microsoft.Playwright;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;

namespace DiyMl.E2E;

public sealed class DatasetPagesTests(PortalFixture portal)
{
    [Fact]
    public async Task Create_dataset_upload_zip_relabel_and_see_the_analysis()
    {
        var page = await portal.NewPageAsync();
        await page.RegisterAndLoginAsync();
        await page.GotoInteractiveAsync("/datasets");
        await Expect(page.GetByTestId("datasets-empty")).ToBeVisibleAsync();

        await page.GetByTestId("new-dataset").ClickAsync();
        await page.GetByLabel("Name").FillAsync("Shapes");
        await page.GetByTestId("create-dataset").ClickAsync();
        await Expect(page.GetByTestId("dataset-name")).ToHaveTextAsync("Shapes");

        var zip = WriteZip(("shapes/circle/1.png", 1), ("shapes/circle/2.png", 2), ("shapes/circle/3.png", 3), ("shapes/square/4.png", 4), ("shapes/square/5.png", 5));
        await page.Locator("[data-testid=upload-panel] input[type=file]").ChooseFilesAsync(zip);
        await Expect(page.GetByTestId("upload-status")).ToContainTextAsync("Finished");
        await Expect(page.GetByTestId("upload-accepted")).ToHaveTextAsync("5");

        var circle = page.GetByTestId("class-item").Filter(new() { HasText = "circle" });
        var square = page.GetByTestId("class-item").Filter(new() { HasText = "square" });
        await Expect(circle.GetByTestId("class-count")).ToHaveTextAsync("3");
        await Expect(square.GetByTestId("class-count")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("gallery-tile")).ToHaveCountAsync(5);

        var firstCircle = page.GetByTestId("gallery-tile").Filter(new() { HasText = "circle" }).First;
        await firstCircle.Locator("input[type=checkbox]").CheckAsync(new() { Force = true });
        await Expect(page.GetByTestId("selected-count")).ToHaveTextAsync("1 selected");
        await page.GetByTestId("relabel-target").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "square" }).ClickAsync();
        await page.GetByTestId("relabel-apply").ClickAsync();
        await Expect(square.GetByTestId("class-count")).ToHaveTextAsync("3");
        await Expect(circle.GetByTestId("class-count")).ToHaveTextAsync("2");

        await page.GetByTestId("open-analysis").ClickAsync();
        await Expect(page.GetByTestId("analysis-summary")).ToContainTextAsync("5 images in 2 classes");
        await Expect(page.GetByTestId("analysis-chart")).ToHaveCountAsync(6);
        await Expect(page.GetByTestId("analysis-chart").First.GetByRole(AriaRole.Row, new() { Name = "square 3" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("analysis-chart").First.GetByTestId("chart-summary")).ToHaveTextAsync("5 images in all. Most: square, 3 (60 %). Fewest: circle, 2.");
        await Expect(page.GetByTestId("analysis-warning").Filter(new() { HasText = "'circle' has only 2 images" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Gallery_works_at_tablet_width_and_lists_rejected_files_with_reasons()
    {
        var page = await portal.NewPageAsync(width: 800);
        await page.RegisterAndLoginAsync();
        await page.GotoInteractiveAsync("/datasets");
        await page.GetByTestId("new-dataset").ClickAsync();
        await page.GetByLabel("Name").FillAsync("<b>Tablet</b>");
        await page.GetByTestId("create-dataset").ClickAsync();
        await Expect(page.GetByTestId("dataset-name")).ToHaveTextAsync("<b>Tablet</b>");

        var dir = Directory.CreateTempSubdirectory("diyml-e2e-files").FullName;
        var good = Path.Combine(dir, "good.png");
        await File.WriteAllBytesAsync(good, Png(7));
        var bad = Path.Combine(dir, "<img src=x onerror=alert(1)>.jpg");
        await File.WriteAllTextAsync(bad, "not a picture");
        await page.Locator("[data-testid=upload-panel] input[type=file]").ChooseFilesAsync([good, bad]);

        await Expect(page.GetByTestId("upload-rejected")).ToHaveTextAsync("1");
        await Expect(page.GetByText("This file is a text file, not an image")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "<img src=x onerror=alert(1)>.jpg", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("gallery-tile")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    private static byte[] Png(int seed)
    {
        using var bitmap = new SKBitmap(48, 48);
        var random = new Random(seed);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)) })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawCircle(random.Next(48), random.Next(48), 10 + random.Next(14), paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    private static string WriteZip(params (string Name, int Seed)[] entries)
    {
        var path = Path.Combine(Path.GetTempPath(), $"diyml-e2e-{Guid.NewGuid():N}.zip");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, seed) in entries)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(Png(seed));
        }

        return path;
    }
}
