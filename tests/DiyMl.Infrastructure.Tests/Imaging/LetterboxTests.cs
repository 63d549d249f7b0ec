using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Tests.Ml;
using SkiaSharp;

namespace DiyMl.Infrastructure.Tests.Imaging;

public sealed class LetterboxTests
{
    public static TheoryData<string, int, int, SKEncodedImageFormat> OpaquePictures => new()
    {
        { "photo", 640, 480, SKEncodedImageFormat.Jpeg },
        { "tall", 300, 900, SKEncodedImageFormat.Jpeg },
        { "large (decoded at a DCT scale)", 2000, 1400, SKEncodedImageFormat.Jpeg },
        { "small, upscaled", 90, 60, SKEncodedImageFormat.Jpeg },
    };

    // Feature space v2's letterbox skips drawing an opaque picture on white. Its pixels, and so
    // every feature of the space, must stay the bytes the composite gave: compared here with the
    // space's original recipe (decode unpremultiplied, draw on white, scale, centre on white).
    [Theory]
    [MemberData(nameof(OpaquePictures))]
    public void Letterbox_of_opaque_pictures_is_unchanged_by_skipping_the_white_copy(string name, int width, int height, SKEncodedImageFormat format)
    {
        var bytes = Noise(width, height, format, seed: width + height);

        AssertSameAsComposite(bytes, name);
    }

    [Fact]
    public void Letterbox_of_greyscale_fashion_mnist_pngs_is_unchanged_by_skipping_the_white_copy()
    {
        Assert.SkipUnless(FashionMnist.Available, "Debian's dataset-fashion-mnist is not installed.");
        foreach (var (label, png) in FashionMnist.Load(test: true, [0, 5, 8], perClass: 4))
        {
            AssertSameAsComposite(png, label);
        }
    }

    [Fact]
    public void Transparent_pictures_are_still_composited_on_white()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(50, 50, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(new SKColor(0, 0, 0, 0));
        for (var y = 20; y < 30; y++)
        {
            for (var x = 20; x < 30; x++)
            {
                bitmap.SetPixel(x, y, new SKColor(200, 10, 10, 255));
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var bytes = data.ToArray();

        using var letterbox = ImagePixels.DecodeLetterbox(bytes, 224, "dot");
        Assert.Equal(SKColors.White, letterbox.GetPixel(5, 5));
        AssertSameAsComposite(bytes, "dot");
    }

    private static void AssertSameAsComposite(byte[] bytes, string name)
    {
        using var ours = ImagePixels.DecodeLetterbox(bytes, 224, name);
        using var reference = CompositeLetterbox(bytes, 224);
        Assert.True(ours.GetPixelSpan().SequenceEqual(reference.GetPixelSpan()), $"'{name}': the letterbox's pixels changed");
    }

    // The v2 recipe as it was first written, kept here as the reference (no EXIF rotation: the test pictures have none).
    private static SKBitmap CompositeLetterbox(byte[] bytes, int size)
    {
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        var side = Math.Max(codec.Info.Width, codec.Info.Height);
        var scale = new[] { 0.125f, 0.25f, 0.5f }.Cast<float?>().FirstOrDefault(s => side * s >= size * 2) ?? 1f;
        var dims = scale < 1f ? codec.GetScaledDimensions(scale) : codec.Info.Size;
        var info = new SKImageInfo(dims.Width, dims.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var decoded = new SKBitmap(info);
        Assert.True(codec.GetPixels(info, decoded.GetPixels()) is SKCodecResult.Success or SKCodecResult.IncompleteInput);

        using var white = new SKBitmap(new SKImageInfo(dims.Width, dims.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(white))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(decoded, 0, 0);
        }

        var fit = (double)size / Math.Max(dims.Width, dims.Height);
        var (w, h) = (Math.Clamp((int)Math.Round(dims.Width * fit), 1, size), Math.Clamp((int)Math.Round(dims.Height * fit), 1, size));
        using var scaled = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        Assert.True(white.ScalePixels(scaled, SKFilterQuality.High));
        var target = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(scaled, (size - w) / 2, (size - h) / 2);
        }

        return target;
    }

    private static byte[] Noise(int width, int height, SKEncodedImageFormat format, int seed)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var wave = (byte)((x * 255 / width + y * 255 / height) / 2);
                bitmap.SetPixel(x, y, new SKColor(wave, (byte)random.Next(256), (byte)(255 - wave)));
            }
        }

        using var data = bitmap.Encode(format, 85);
        var bytes = data.ToArray();
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        Assert.Equal(SKAlphaType.Opaque, codec.Info.AlphaType); // so the fast path is the one tested
        return bytes;
    }
}
