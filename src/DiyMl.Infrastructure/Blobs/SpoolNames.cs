using System.Globalization;

namespace DiyMl.Infrastructure.Blobs;

/// <summary>
/// Names of the temporary files a put writes before its blob is complete: the time it began (by
/// the store's clock) and a random part. Clean-up reads the age from the name, not from the file's
/// modification time, which moves with every write and is stamped by a different clock.
/// </summary>
internal static class SpoolNames
{
    public static string New(TimeProvider clock) =>
        $"{clock.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}";

    /// <summary>True when the name is one of ours and was begun before <paramref name="before"/>.</summary>
    public static bool BegunBefore(string name, DateTime before) =>
        name.IndexOf('-', StringComparison.Ordinal) is > 0 and var dash
        && long.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
        && ticks < before.Ticks;
}
