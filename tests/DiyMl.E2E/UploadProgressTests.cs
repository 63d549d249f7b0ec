using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;

namespace DiyMl.E2E;

/// <summary>
/// A zip of several megabytes sent over a slow connection: the panel counts the megabytes as they
/// arrive, then the pictures unpacked, then the result. Chromium's network emulation slows the
/// circuit's WebSocket, which is the way the file travels in Blazor Server.
/// </summary>
public sealed partial class UploadProgressTests(PortalFixture portal)
{
    private const int Pictures = 36;

    [Fact]
    public async Task A_large_zip_over_a_slow_connection_shows_megabytes_sent_then_unpacking_then_the_result()
    {
        var page = await portal.NewPageAsync(1366, 768);
        await page.RegisterAndLoginAsync();
        await page.GotoInteractiveAsync("/datasets");
        await page.GetByTestId("new-dataset").ClickAsync();
        await page.GetByLabel("Name").FillAsync("Noise");
        await page.GetByTestId("create-dataset").ClickAsync();
        await Expect(page.GetByTestId("dataset-name")).ToHaveTextAsync("Noise");

        // Every text the progress line shows is kept in order, however briefly it is on screen.
        await page.EvaluateAsync("""
            () => {
              window.__phases = [];
              const keep = () => {
                const el = document.querySelector('[data-testid=upload-phase]');
                const text = el && el.textContent.trim();
                if (text && window.__phases[window.__phases.length - 1] !== text) window.__phases.push(text);
              };
              new MutationObserver(keep).observe(document.body, { subtree: true, childList: true, characterData: true });
            }
            """);

        var zip = WriteNoiseZip();
        var megabytes = new FileInfo(zip).Length / 1048576.0;
        Assert.InRange(megabytes, 6, 12);

        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = 20,
            ["downloadThroughput"] = -1,
            ["uploadThroughput"] = 1_000_000, // bytes a second: about 8 s for the zip
        });

        await page.Locator("[data-testid=upload-panel] input[type=file]").ChooseFilesAsync(zip);

        // Part of the way: some but not all of the megabytes have arrived.
        var phase = page.GetByTestId("upload-phase");
        await Expect(phase).ToHaveTextAsync(PartlySent(), new() { Timeout = 30_000 });
        await page.SnapAsync("upload-sending");
        await page.SetViewportSizeAsync(820, 1180);
        await Expect(phase).ToHaveTextAsync(new Regex(@"MB sent$"));
        await page.SnapAsync("upload-sending");

        await Expect(page.GetByTestId("upload-status")).ToContainTextAsync("Finished", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("upload-accepted")).ToHaveTextAsync(Pictures.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("upload-status")).ToContainTextAsync($"Finished: 1 of 1 file · {Pictures} added");

        var phases = JsonSerializer.Deserialize<List<string>>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__phases)"))!;
        var sending = phases.FindIndex(p => PartlySent().IsMatch(p));
        var unpacking = phases.FindIndex(p => p.StartsWith("Unpacking ", StringComparison.Ordinal));
        Assert.True(sending >= 0, "no partial byte count was shown: " + string.Join(" | ", phases));
        Assert.True(unpacking > sending, "unpacking did not follow the bytes: " + string.Join(" | ", phases));
        Assert.DoesNotContain(phases.Skip(unpacking + 1), p => p.StartsWith("Sending ", StringComparison.Ordinal));

        // The live byte counts went up while the file travelled.
        var sent = phases.Select(p => SentMegabytes().Match(p)).Where(m => m.Success)
            .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(sent.Count >= 2, "the byte count did not move: " + string.Join(" | ", phases));
        Assert.Equal(sent.Order(), sent);

        await page.Context.CloseAsync();
        File.Delete(zip);
    }

    // "Sending noise.zip: 2.1 of 8.4 MB sent" with fewer megabytes sent than the file holds.
    private static Regex PartlySent() => PartlySentPattern();

    [GeneratedRegex(@"^Sending noise\.zip: (?!0\.0 )\d+\.\d of \d+\.\d MB sent$")]
    private static partial Regex PartlySentPattern();

    [GeneratedRegex(@"^Sending noise\.zip: (\d+\.\d) of")]
    private static partial Regex SentMegabytes();

    // Noise does not compress: 36 pictures of 256 × 256 make a zip of about 9 MB, each one different.
    private static string WriteNoiseZip()
    {
        var path = Path.Combine(Path.GetTempPath(), "diyml-e2e-" + Guid.NewGuid().ToString("N"), "noise.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        var random = new Random(16);
        for (var i = 0; i < Pictures; i++)
        {
            using var bitmap = new SKBitmap(256, 256, SKColorType.Rgba8888, SKAlphaType.Opaque);
            var pixels = new byte[256 * 256 * 4];
            random.NextBytes(pixels);
            for (var p = 3; p < pixels.Length; p += 4)
            {
                pixels[p] = 255;
            }

            System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
            using var image = SKImage.FromBitmap(bitmap);
            using var entry = zip.CreateEntry($"{(i % 2 == 0 ? "red" : "blue")}/{i}.png", CompressionLevel.NoCompression).Open();
            image.Encode(SKEncodedImageFormat.Png, 100).SaveTo(entry);
        }

        return path;
    }
}
