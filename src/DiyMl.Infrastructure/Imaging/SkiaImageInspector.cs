using DiyMl.Domain.Datasets;
using SkiaSharp;

namespace DiyMl.Infrastructure.Imaging;

/// <summary>
/// Judges images by their bytes with SkiaSharp: the codec is chosen from the content, the pixel
/// count is read from the header before anything is decoded, and a full decode must succeed
/// (truncated files report incomplete input instead of decoding silently with grey areas).
/// One decode serves validation, the thumbnail and the perceptual hash.
/// </summary>
internal sealed class SkiaImageInspector : IImageInspector
{
    private const string Accepted = "JPEG, PNG, WebP, BMP or GIF";

    public ImageInspection Inspect(ReadOnlySpan<byte> content, long maxPixels, int thumbnailSide)
    {
        if (content.IsEmpty)
        {
            return ImageInspection.Rejected("The file is empty.");
        }

        using var data = SKData.CreateCopy(content);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return ImageInspection.Rejected(NotAnImage(content));
        }

        var format = FormatName(codec.EncodedFormat);
        if (format is null)
        {
            return ImageInspection.Rejected($"{codec.EncodedFormat} images are not supported; use {Accepted}.");
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0)
        {
            return ImageInspection.Rejected("The image has no pixels.");
        }

        var pixels = (long)width * height;
        if (pixels > maxPixels)
        {
            return ImageInspection.Rejected(
                $"The image is {width:N0} × {height:N0} pixels ({pixels / 1e6:0.#} megapixels), more than the limit of {maxPixels / 1e6:0.#} megapixels.");
        }

        using var stored = Decode(codec, width, height, thumbnailSide, out var failure);
        if (stored is null)
        {
            return ImageInspection.Rejected(failure!);
        }

        // Dimensions, thumbnail and hash describe the picture as it is seen, EXIF orientation applied.
        var decoded = Orientation.Upright(stored, codec.EncodedOrigin);
        using var rotated = decoded == stored ? null : decoded;
        (width, height) = Orientation.SwapsSides(codec.EncodedOrigin) ? (height, width) : (width, height);
        using var thumbnail = Thumbnails.Fit(decoded, thumbnailSide);
        var encoded = Thumbnails.EncodeJpeg(thumbnail);
        return new ImageInspection(null, format, width, height, encoded, ImageFormats.Jpeg, DifferenceHash.Compute(thumbnail));
    }

    public long? ComputeDHash(ReadOnlySpan<byte> content)
    {
        var inspection = Inspect(content, long.MaxValue, 64);
        return inspection.IsAccepted ? inspection.DHash : null;
    }

    // Decodes at the smallest size the codec offers that is still at least the thumbnail size
    // (JPEG can scale by 1/2, 1/4, 1/8 while decoding); the whole stream is still read, so
    // truncation is still detected.
    private static SKBitmap? Decode(SKCodec codec, int width, int height, int thumbnailSide, out string? failure)
    {
        var scale = Math.Min(1f, thumbnailSide / (float)Math.Max(width, height));
        var size = scale < 1f ? codec.GetScaledDimensions(scale) : new SKSizeI(width, height);
        if (size.Width <= 0 || size.Height <= 0)
        {
            size = new SKSizeI(width, height);
        }

        var bitmap = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result == SKCodecResult.InvalidScale && (size.Width != width || size.Height != height))
        {
            bitmap.Dispose();
            bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
            result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        }

        failure = result switch
        {
            SKCodecResult.Success => null,
            SKCodecResult.IncompleteInput => "The image is truncated: the file ends before the picture does (an interrupted download or copy?).",
            SKCodecResult.ErrorInInput => "The image data is damaged and cannot be decoded.",
            _ => $"The image could not be decoded ({result}).",
        };
        if (failure is null)
        {
            return bitmap;
        }

        bitmap.Dispose();
        return null;
    }

    private static string? FormatName(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => ImageFormats.Jpeg,
        SKEncodedImageFormat.Png => ImageFormats.Png,
        SKEncodedImageFormat.Webp => ImageFormats.Webp,
        SKEncodedImageFormat.Bmp => ImageFormats.Bmp,
        SKEncodedImageFormat.Gif => ImageFormats.Gif,
        _ => null,
    };

    private static string NotAnImage(ReadOnlySpan<byte> content)
    {
        var head = System.Text.Encoding.UTF8.GetString(content[..Math.Min(content.Length, 512)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var kind = head.StartsWith('<') && head.Contains("svg", StringComparison.OrdinalIgnoreCase) ? "an SVG drawing"
            : head.StartsWith('<') ? "an HTML or XML document"
            : content[..Math.Min(content.Length, 512)].IndexOf((byte)0) < 0 ? "a text file"
            : "not an image";
        var prefix = kind == "not an image" ? "This file is not an image" : $"This file is {kind}, not an image";
        return $"{prefix} DIY ML can read; use {Accepted}.";
    }
}
