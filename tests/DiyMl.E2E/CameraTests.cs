using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;

namespace DiyMl.E2E;

/// <summary>
/// The camera, in Chromium with a fake camera device. Camera flags are browser-wide, so each test
/// launches its own browser against the shared portal: Chromium's generated test pattern, a video
/// file of our own pictures, or a browser that refuses camera permission.
/// </summary>
public sealed partial class CameraTests(PortalFixture portal)
{
    private const string FakeDevice = "--use-fake-device-for-media-stream";
    private const string AllowCamera = "--use-fake-ui-for-media-stream";

    [Fact]
    public async Task Holding_record_captures_a_burst_into_a_new_class_and_the_class_count_grows()
    {
        await using var browser = await LaunchAsync(FakeDevice, AllowCamera);
        var page = await NewPageAsync(browser);
        await page.RegisterAndLoginAsync();
        await CreateDatasetAsync(page, "Faces");

        await page.GetByTestId("open-webcam").ClickAsync();
        await page.Locator("[data-testid=webcam-new-class] input, input[data-testid=webcam-new-class]").First.FillAsync("me");
        await page.GetByTestId("camera-start").ClickAsync();
        await Expect(page.GetByTestId("camera-video")).ToBeVisibleAsync();

        // One click, one picture.
        await page.GetByTestId("webcam-shot").ClickAsync();
        await Expect(page.GetByTestId("webcam-added")).ToHaveTextAsync("1");

        // Hold the button until several frames are in, then let go: the burst stops.
        var record = page.GetByTestId("webcam-record");
        await record.HoverAsync();
        await page.Mouse.DownAsync();
        await Expect(record).ToContainTextAsync("Recording");
        await Expect(page.GetByTestId("webcam-added")).ToHaveTextAsync(AtLeast(6), new() { Timeout = 30_000 });
        await page.Mouse.UpAsync();
        await Expect(record).ToContainTextAsync("Hold to record");
        await page.SnapAsync("webcam-burst");

        var added = int.Parse(await page.GetByTestId("webcam-added").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var me = page.GetByTestId("class-item").Filter(new() { HasText = "me" });
        await Expect(me.GetByTestId("class-count")).ToHaveTextAsync(added.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(added >= 6, $"{added} pictures");
        await Expect(page.GetByTestId("gallery-tile")).ToHaveCountAsync(added);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_live_preview_answers_continuously_and_the_answer_follows_what_the_camera_sees()
    {
        var video = WriteVideo();
        try
        {
            await using var browser = await LaunchAsync(FakeDevice, AllowCamera, $"--use-file-for-fake-video-capture={video}");
            var page = await NewPageAsync(browser);
            var email = await page.RegisterAndLoginAsync();
            var model = await portal.SeedModelAsync(email);

            await page.GotoInteractiveAsync($"/models/{model.Id}/predict");
            await page.GetByTestId("live-panel").ClickAsync();
            await page.GetByTestId("camera-start").ClickAsync();

            // The video shows a red disc, then a blue square, over and over: both answers must appear.
            var answer = page.GetByTestId("live-answer");
            await Expect(answer).ToContainTextAsync("red", new() { Timeout = 30_000 });
            await Expect(answer).ToContainTextAsync("blue", new() { Timeout = 30_000 });
            await Expect(answer).ToContainTextAsync("red", new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("live-bar")).ToHaveCountAsync(2);
            await page.SnapAsync("live-preview");
            var count = AnswerCount(await page.GetByTestId("live-rate").InnerTextAsync());
            await Expect(page.GetByTestId("live-rate")).Not.ToContainTextAsync($"{count} answers");
            Assert.True(count >= 3, $"{count} answers");

            await page.GetByTestId("camera-stop").ClickAsync();
            await Expect(page.GetByTestId("camera-start")).ToBeVisibleAsync();
            await page.Context.CloseAsync();
        }
        finally
        {
            File.Delete(video);
        }
    }

    [Fact]
    public async Task A_refused_camera_permission_explains_what_to_do()
    {
        await using var browser = await LaunchAsync(FakeDevice, "--deny-permission-prompts");
        var page = await NewPageAsync(browser);
        await page.RegisterAndLoginAsync();
        await CreateDatasetAsync(page, "No camera");

        await page.GetByTestId("open-webcam").ClickAsync();
        await page.GetByTestId("camera-start").ClickAsync();

        await Expect(page.GetByTestId("camera-problem")).ToContainTextAsync("not allowed to use the camera");
        await Expect(page.GetByTestId("camera-problem")).ToContainTextAsync("allow the camera for this site");
        await page.SnapAsync("camera-denied");
        await Expect(page.GetByTestId("webcam-record")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    private static async Task<CameraBrowser> LaunchAsync(params string[] cameraArgs)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", .. cameraArgs],
        });
        return new CameraBrowser(playwright, browser);
    }

    private async Task<IPage> NewPageAsync(CameraBrowser browser)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    private static async Task CreateDatasetAsync(IPage page, string name)
    {
        await page.GotoInteractiveAsync("/datasets");
        await page.GetByTestId("new-dataset").ClickAsync();
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByTestId("create-dataset").ClickAsync();
        await Expect(page.GetByTestId("dataset-name")).ToHaveTextAsync(name);
    }

    private static Regex AtLeast(int n) => new($"^([{n}-9]|[1-9][0-9]+)$");

    private static int AnswerCount(string text) => int.Parse(LeadingNumber().Match(text).Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("^[0-9]+")]
    private static partial Regex LeadingNumber();

    /// <summary>
    /// A Y4M video Chromium plays as its camera: one second of a red disc, one second of a blue
    /// square (the seeded model's two classes), which Chromium loops.
    /// </summary>
    private static string WriteVideo()
    {
        const int width = 320, height = 240, fps = 10;
        var path = Path.Combine(Path.GetTempPath(), $"diyml-camera-{Guid.NewGuid():N}.y4m");
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n"));
        foreach (var shape in new[] { "red", "blue" })
        {
            var frame = Yuv420(Draw(shape, width, height), width, height);
            for (var i = 0; i < fps; i++)
            {
                file.Write("FRAME\n"u8);
                file.Write(frame);
            }
        }

        return path;
    }

    private static SKBitmap Draw(string shape, int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor(240, 240, 240));
        using var paint = new SKPaint { IsAntialias = true, Color = shape == "red" ? new SKColor(220, 30, 30) : new SKColor(30, 30, 220) };
        if (shape == "red")
        {
            canvas.DrawCircle(width / 2f, height / 2f, height * 0.3f, paint);
        }
        else
        {
            canvas.DrawRect(width / 2f - height * 0.3f, height * 0.2f, height * 0.6f, height * 0.6f, paint);
        }

        return bitmap;
    }

    /// <summary>Full-range BT.601 YUV 4:2:0, the layout Y4M's C420jpeg names.</summary>
    private static byte[] Yuv420(SKBitmap bitmap, int width, int height)
    {
        var y = new byte[width * height];
        var u = new byte[width / 2 * (height / 2)];
        var v = new byte[u.Length];
        for (var row = 0; row < height; row++)
        {
            for (var col = 0; col < width; col++)
            {
                var c = bitmap.GetPixel(col, row);
                y[row * width + col] = Clamp(0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue);
                if (row % 2 == 0 && col % 2 == 0)
                {
                    var i = row / 2 * (width / 2) + col / 2;
                    u[i] = Clamp(-0.169 * c.Red - 0.331 * c.Green + 0.5 * c.Blue + 128);
                    v[i] = Clamp(0.5 * c.Red - 0.419 * c.Green - 0.081 * c.Blue + 128);
                }
            }
        }

        bitmap.Dispose();
        return [.. y, .. u, .. v];
    }

    private static byte Clamp(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);

    private sealed record CameraBrowser(IPlaywright Playwright, IBrowser Browser) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            Playwright.Dispose();
        }
    }
}
