using DiyMl.Domain.Models;

namespace DiyMl.Web.Components.Pages.Models;

/// <summary>What changed between two versions, in words, for the compare page.</summary>
public static class VersionDiff
{
    /// <summary>
    /// "3 added, 1 removed" between versions of one project; versions of two projects share no
    /// pictures, so counting every picture as added and removed would only mislead.
    /// </summary>
    public static string Pictures(TrainedModel older, TrainedModel newer)
    {
        if (!string.Equals(older.DatasetId, newer.DatasetId, StringComparison.Ordinal))
        {
            return "from another project";
        }

        var before = older.TrainImageIds.Concat(older.ValidationImageIds).ToHashSet(StringComparer.Ordinal);
        var after = newer.TrainImageIds.Concat(newer.ValidationImageIds).ToHashSet(StringComparer.Ordinal);
        var added = after.Count(id => !before.Contains(id));
        var removed = before.Count(id => !after.Contains(id));
        return added == 0 && removed == 0 ? "the same pictures" : $"{added} added, {removed} removed";
    }

    /// <summary>Column headings: the names, told apart by age when two versions share one.</summary>
    public static (string Older, string Newer) Names(TrainedModel older, TrainedModel newer) =>
        string.Equals(older.Name, newer.Name, StringComparison.OrdinalIgnoreCase)
            ? ($"{older.Name} (older)", $"{newer.Name} (newer)")
            : (older.Name, newer.Name);
}
