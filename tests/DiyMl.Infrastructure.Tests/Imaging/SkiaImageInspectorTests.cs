using DiyMl.Domain.Datasets;
using DiyMl.Infrastructure.Imaging;
using SkiaSharp;

namespace DiyMl.Infrastructure.Tests.Imaging;

public sealed class SkiaImageInspectorTests
{
    private const long FortyMegapixels = 40_000_000;
    private readonly SkiaImageInspector _inspector = new();

    private ImageInspection Inspect(byte[] file) => _inspector.Inspect(file, FortyMegapixels, 256);

    [Theory]
    [InlineData("png", ImageFormats.Png)]
    [InlineData("jpeg", ImageFormats.Jpeg)]
    [InlineData("webp", ImageFormats.Webp)]
    [InlineData("bmp", ImageFormats.Bmp)]
    [InlineData("gif", ImageFormats.Gif)]
    public void Every_supported_format_is_accepted_with_its_size(string kind, string expected)
    {
        var (file, width, height) = kind switch
        {
            "png" => (TestImages.Png(40, 30), 40, 30),
            "jpeg" => (TestImages.Jpeg(40, 30), 40, 30),
            "webp" => (TestImages.Webp(40, 30), 40, 30),
            "bmp" => (TestImages.Bmp(), 2, 2),
            _ => (TestImages.Gif(), 1, 1),
        };

        var result = Inspect(file);

        Assert.True(result.IsAccepted, result.Rejection);
        Assert.Equal(expected, result.Format);
        Assert.Equal((width, height), (result.Width, result.Height));
    }

    [Fact]
    public void Png_claiming_50000_by_50000_pixels_is_refused_before_decoding()
    {
        var result = Inspect(TestImages.PngClaiming(50_000, 50_000));

        Assert.False(result.IsAccepted);
        Assert.Contains("50,000 × 50,000", result.Rejection);
        Assert.Contains("megapixels", result.Rejection);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Png)]
    public void Truncated_image_is_rejected_as_truncated(SKEncodedImageFormat format)
    {
        var result = Inspect(TestImages.Truncate(TestImages.Noise(300, 200, format)));

        Assert.False(result.IsAccepted);
        Assert.Contains("truncated", result.Rejection);
    }

    [Fact]
    public void Text_renamed_to_jpg_is_not_an_image() =>
        Assert.Contains("text file, not an image", Inspect(TestImages.Text()).Rejection);

    [Fact]
    public void Svg_is_rejected_as_a_drawing() =>
        Assert.Contains("SVG drawing, not an image", Inspect(TestImages.Svg()).Rejection);

    [Fact]
    public void Html_is_rejected() =>
        Assert.Contains("HTML", Inspect(TestImages.Html()).Rejection);

    [Fact]
    public void Zero_byte_file_is_rejected_as_empty() =>
        Assert.Equal("The file is empty.", Inspect([]).Rejection);

    [Fact]
    public void Thumbnail_is_a_jpeg_at_most_256_pixels_on_its_longest_side()
    {
        var result = Inspect(TestImages.Jpeg(1024, 768));

        using var thumbnail = SKBitmap.Decode(result.Thumbnail);
        Assert.Equal((256, 192), (thumbnail.Width, thumbnail.Height));
        using var codec = SKCodec.Create(new MemoryStream(result.Thumbnail!));
        Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
    }

    [Fact]
    public void Small_images_are_not_enlarged_for_their_thumbnail()
    {
        using var thumbnail = SKBitmap.Decode(Inspect(TestImages.Png(28, 28)).Thumbnail);
        Assert.Equal((28, 28), (thumbnail.Width, thumbnail.Height));
    }

    [Fact]
    public void Same_picture_resized_and_reencoded_keeps_a_close_dhash_and_another_picture_does_not()
    {
        var original = Inspect(TestImages.Png(400, 300, seed: 1)).DHash;
        var resized = Inspect(TestImages.Jpeg(200, 150, seed: 1)).DHash;
        var other = Inspect(TestImages.Png(400, 300, seed: 2)).DHash;

        Assert.True(Distance(original, resized) <= 5, $"resized copy differs in {Distance(original, resized)} bits");
        Assert.True(Distance(original, other) > 5, $"a different picture differs in only {Distance(original, other)} bits");
    }

    private static int Distance(long a, long b) => System.Numerics.BitOperations.PopCount(unchecked((ulong)(a ^ b)));
}
