using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// One image of a dataset. The bytes live in the blob store under <see cref="Sha256"/>;
/// <see cref="FileName"/> is display text only, never a path.
/// </summary>
public sealed class ImageAsset : Entity, IOwned
{
    public string OwnerId { get; set; } = "";

    public string DatasetId { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public string FileName { get; set; } = "";

    /// <summary>The class, or null when the image is not labelled yet.</summary>
    public string? Label { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    /// <summary>Decoded format: Jpeg, Png, Webp, Bmp or Gif.</summary>
    public string Format { get; set; } = "";

    public long SizeBytes { get; set; }

    public string? ThumbnailSha256 { get; set; }

    /// <summary>64-bit difference hash for near-duplicate detection.</summary>
    public long DHash { get; set; }

    public DateTime CreatedAt { get; set; }
}
