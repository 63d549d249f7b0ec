namespace DiyMl.Domain.Datasets;

/// <summary>
/// Reads meaning out of zip entry names without ever using them as file-system paths: the name
/// is display text and its folder becomes a class name.
/// </summary>
internal static class ArchivePaths
{
    /// <summary>True for names that try to climb out: <c>..</c> segments, absolute paths, drive letters.</summary>
    public static bool ClimbsOut(string entryName)
    {
        var name = entryName.Replace('\\', '/');
        if (name.StartsWith('/') || (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0])))
        {
            return true;
        }

        return name.Split('/').Any(segment => segment == "..");
    }

    public static bool IsDirectory(string entryName) => entryName.EndsWith('/') || entryName.EndsWith('\\');

    /// <summary>Folders and files that archivers add and nobody means as data (macOS resource forks, dot files).</summary>
    public static bool IsNoise(string entryName)
    {
        var name = entryName.Replace('\\', '/');
        return name.StartsWith("__MACOSX/", StringComparison.Ordinal) || name.Split('/')[^1].StartsWith('.');
    }

    /// <summary>The folder directly holding the entry, or null at the archive's top level.</summary>
    public static string? ParentFolder(string entryName)
    {
        var segments = entryName.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 ? segments[^2] : null;
    }

    /// <summary>Display text for a file name: no control characters, bounded length.</summary>
    public static string DisplayName(string? name)
    {
        var clean = new string((name ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (clean.Length == 0)
        {
            return "(unnamed)";
        }

        return clean.Length <= 255 ? clean : clean[..255];
    }

    public static bool LooksLikeZip(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] is (3 or 5 or 7) && head[3] is (4 or 6 or 8);
}
