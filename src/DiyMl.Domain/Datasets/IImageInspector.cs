namespace DiyMl.Domain.Datasets;

/// <summary>The image formats DIY ML accepts, named as they are stored on <see cref="ImageAsset.Format"/>.</summary>
public static class ImageFormats
{
    public const string Jpeg = "Jpeg";
    public const string Png = "Png";
    public const string Webp = "Webp";
    public const string Bmp = "Bmp";
    public const string Gif = "Gif";

    public static IReadOnlyList<string> All { get; } = [Jpeg, Png, Webp, Bmp, Gif];

    public static string ContentType(string format) => format switch
    {
        Jpeg => "image/jpeg",
        Png => "image/png",
        Webp => "image/webp",
        Bmp => "image/bmp",
        Gif => "image/gif",
        _ => "application/octet-stream",
    };

    /// <summary>The format by the file's signature, for bytes already accepted as an image.</summary>
    public static string Sniff(ReadOnlySpan<byte> head) => head switch
    {
        [0xFF, 0xD8, ..] => Jpeg,
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => Png,
        [(byte)'G', (byte)'I', (byte)'F', ..] => Gif,
        [(byte)'B', (byte)'M', ..] => Bmp,
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => Webp,
        _ => "",
    };
}

/// <summary>
/// The outcome of looking at some bytes: either a usable image (format, size, thumbnail and
/// perceptual hash, all from one decode) or the reason a person would understand why not.
/// </summary>
public sealed record ImageInspection(
    string? Rejection,
    string Format = "",
    int Width = 0,
    int Height = 0,
    byte[]? Thumbnail = null,
    string ThumbnailFormat = "",
    long DHash = 0)
{
    public bool IsAccepted => Rejection is null;

    public static ImageInspection Rejected(string reason) => new(reason);
}

/// <summary>Decodes by content, never by name or Content-Type (implemented with SkiaSharp).</summary>
public interface IImageInspector
{
    /// <summary>
    /// Reads the header, refuses anything over <paramref name="maxPixels"/> before decoding,
    /// decodes fully (truncated or damaged files are refused), then makes a thumbnail whose
    /// longest side is <paramref name="thumbnailSide"/> and the 64-bit dHash.
    /// </summary>
    ImageInspection Inspect(ReadOnlySpan<byte> content, long maxPixels, int thumbnailSide);

    /// <summary>The 64-bit difference hash of an image, or null when it cannot be decoded.</summary>
    long? ComputeDHash(ReadOnlySpan<byte> content);
}
