using System.Security.Cryptography;
using System.Text;
using DiyMl.Domain.Common;

namespace DiyMl.Domain.Publishing;

/// <summary>One earlier (or the current) model behind a publication's name.</summary>
public sealed class PublicationVersion
{
    public int Number { get; set; }

    public string ModelId { get; set; } = "";

    public DateTime PublishedAt { get; set; }
}

/// <summary>
/// A name under which one of a user's models answers scripts. The name stays; the model behind it
/// can be switched to a newer version. That switch is a single compare-and-set replace of this one
/// document, so a request resolves either the old model or the new one, never nothing.
/// </summary>
public sealed class Publication : Entity, IOwned
{
    public const int MaxNameLength = 80;
    public const int MaxDescriptionLength = 1000;

    public string OwnerId { get; set; } = "";

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>The model that answers under this name now.</summary>
    public string ModelId { get; set; } = "";

    /// <summary>1 for the first model published under the name, +1 for each switch to another model.</summary>
    public int VersionNumber { get; set; }

    public DateTime PublishedAt { get; set; }

    public DateTime FirstPublishedAt { get; set; }

    public List<PublicationVersion> History { get; set; } = [];

    /// <summary>
    /// The id is derived from owner and name (case-insensitive), which makes the name unique per
    /// owner on every engine without relying on a unique secondary index (CongoDB ignores those):
    /// two concurrent first publications of one name collide on the primary key.
    /// </summary>
    public static string IdFor(string ownerId, string name)
    {
        var key = ownerId + "\n" + NormalizeName(name).ToUpperInvariant();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 12));
    }

    public static string NormalizeName(string name) => string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
