using System.ComponentModel.DataAnnotations;

namespace DiyMl.Infrastructure.Storage;

public enum StorageProvider
{
    LiteDb,
    Mongo,
}

/// <summary>Bound from the <c>Storage</c> section and validated at start-up.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// <c>LiteDb</c> (embedded default, one file under the data directory) or <c>Mongo</c>. Kept as
    /// text so a wrong value is reported by <see cref="StorageOptionsValidator"/> with the allowed
    /// values, instead of as a binder failure.
    /// </summary>
    public string Provider { get; set; } = nameof(StorageProvider.LiteDb);

    /// <summary>Where the LiteDB file, blobs and caches live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Database name used by the Mongo engine when the connection string names none.</summary>
    [Required]
    public string MongoDatabase { get; set; } = "diyml";

    /// <summary>How long start-up waits for MongoDB before giving up with a clear message.</summary>
    public int MongoConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>The provider as an enum; null when <see cref="Provider"/> names none.</summary>
    public StorageProvider? ProviderKind =>
        Enum.GetValues<StorageProvider>()
            .Select(p => (StorageProvider?)p)
            .FirstOrDefault(p => string.Equals(p.ToString(), Provider?.Trim(), StringComparison.OrdinalIgnoreCase));
}
