using System.Buffers.Binary;
using DiyMl.Infrastructure.Imaging;
using DiyMl.Infrastructure.Ml;
using SkiaSharp;

namespace DiyMl.Infrastructure.Tests.Imaging;

public sealed class OrientationTests
{
    // Stored 3 x 2 picture with pixel values 0..5 row by row: 0 1 2 / 3 4 5.
    [Theory]
    [InlineData(SKEncodedOrigin.TopLeft, 3, "0 1 2|3 4 5")]
    [InlineData(SKEncodedOrigin.TopRight, 3, "2 1 0|5 4 3")]
    [InlineData(SKEncodedOrigin.BottomRight, 3, "5 4 3|2 1 0")]
    [InlineData(SKEncodedOrigin.BottomLeft, 3, "3 4 5|0 1 2")]
    [InlineData(SKEncodedOrigin.LeftTop, 2, "0 3|1 4|2 5")]
    [InlineData(SKEncodedOrigin.RightTop, 2, "3 0|4 1|5 2")]
    [InlineData(SKEncodedOrigin.RightBottom, 2, "5 2|4 1|3 0")]
    [InlineData(SKEncodedOrigin.LeftBottom, 2, "2 5|1 4|0 3")]
    public void Every_exif_orientation_turns_the_stored_pixels_upright(SKEncodedOrigin origin, int uprightWidth, string expected)
    {
        using var stored = new SKBitmap(new SKImageInfo(3, 2, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var i = 0; i < 6; i++)
        {
            stored.SetPixel(i % 3, i / 3, new SKColor((byte)i, 0, 0, 255));
        }

        var upright = Orientation.Upright(stored, origin);

        Assert.Equal(uprightWidth, upright.Width);
        var rows = Enumerable.Range(0, upright.Height)
            .Select(y => string.Join(' ', Enumerable.Range(0, upright.Width).Select(x => upright.GetPixel(x, y).Red)));
        Assert.Equal(expected, string.Join('|', rows));
        if (upright != stored)
        {
            upright.Dispose();
        }
    }

    [Fact]
    public void A_photo_stored_sideways_is_measured_and_thumbnailed_upright()
    {
        var sideways = WithExifOrientation(TestImages.Jpeg(80, 40), orientation: 6);

        var result = new SkiaImageInspector().Inspect(sideways, 40_000_000, 64);

        Assert.True(result.IsAccepted, result.Rejection);
        Assert.Equal((40, 80), (result.Width, result.Height));
        using var thumbnail = SKBitmap.Decode(result.Thumbnail);
        Assert.True(thumbnail.Height > thumbnail.Width, $"thumbnail {thumbnail.Width}x{thumbnail.Height}");
    }

    [Fact]
    public void A_photo_stored_sideways_gives_the_features_of_the_upright_picture()
    {
        // Left half red, right half blue, as stored; a quarter turn clockwise puts red on top.
        using var stored = new SKBitmap(new SKImageInfo(64, 32, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(stored))
        {
            using var red = new SKPaint { Color = SKColors.Red };
            using var blue = new SKPaint { Color = SKColors.Blue };
            canvas.DrawRect(0, 0, 32, 32, red);
            canvas.DrawRect(32, 0, 32, 32, blue);
        }

        using var image = SKImage.FromBitmap(stored);
        var sideways = WithExifOrientation(image.Encode(SKEncodedImageFormat.Jpeg, 100).ToArray(), orientation: 6);

        // 2 x 2 colour pixels after the centre crop of the upright 32 x 64 picture: rows are red... then blue.
        var features = PixelFeatures.Compute(sideways, 2, colour: true, flip: false, "sideways");

        const int plane = 4;
        Assert.True(features[0] > 0.8 && features[1] > 0.8, $"top row should be red: R {features[0]:F2} {features[1]:F2}");
        Assert.True(features[(2 * plane) + 2] > 0.8 && features[(2 * plane) + 3] > 0.8, "bottom row should be blue");
        Assert.True(features[2] < 0.2 && features[(2 * plane) + 0] < 0.2, "no red at the bottom, no blue on top");
    }

    /// <summary>Inserts an EXIF APP1 segment holding only the orientation tag right after the JPEG's start marker.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        var segment = new byte[2 + 2 + 32];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), 34);
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        var tiff = segment.AsSpan(10);
        "II"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[2..], 42);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff[4..], 8);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[8..], 1); // one IFD entry
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[10..], 0x0112); // Orientation
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[12..], 3); // SHORT
        BinaryPrimitives.WriteUInt32LittleEndian(tiff[14..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[18..], orientation);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff[22..], 0); // no next IFD
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }
}
