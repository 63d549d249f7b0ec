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

    /// <summary><c>LiteDb</c> (embedded default, one file under the data directory) or <c>Mongo</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.LiteDb;

    /// <summary>Where the LiteDB file, blobs and caches live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Database name used by the Mongo engine.</summary>
    [Required]
    public string MongoDatabase { get; set; } = "diyml";

    /// <summary>How long start-up waits for MongoDB before giving up with a clear message.</summary>
    [Range(1, 300)]
    public int MongoConnectTimeoutSeconds { get; set; } = 10;
}
