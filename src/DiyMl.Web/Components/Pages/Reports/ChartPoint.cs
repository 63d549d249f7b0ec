using DiyMl.Domain.Predictions;
using DiyMl.Web.Components.Shared;

namespace DiyMl.Web.Components.Pages.Reports;

/// <summary>One bar, ring segment or day of a chart: what it is and how many.</summary>
public sealed record ChartPoint(string Label, long Count);

/// <summary>
/// The sentence every chart carries under it, so the figures are there for screen readers and for
/// anyone who does not read charts, and so a chart never holds information only as shapes.
/// </summary>
public static class ChartText
{
    /// <summary>Where predictions came from, as a person says it.</summary>
    public static string Channel(PredictionChannel channel) => channel switch
    {
        PredictionChannel.Browser => "Here in the browser",
        PredictionChannel.ApiKey => "Scripts with an API key",
        _ => "Scripts signed in",
    };

    public static string Summary(IReadOnlyList<ChartPoint> points, string unit, string? plural = null)
    {
        var total = points.Sum(p => p.Count);
        if (total == 0)
        {
            return "Nothing to show yet.";
        }

        var most = points.MaxBy(p => p.Count)!;
        var text = $"{Words.Count(total, unit, plural)} in all. Most: {most.Label}, {most.Count:N0} ({Words.Percent(most.Count / (double)total)}).";
        var nonZero = points.Where(p => p.Count > 0).ToList();
        var fewest = nonZero.MinBy(p => p.Count)!;
        if (nonZero.Count > 1 && fewest.Count == most.Count)
        {
            // "Most: red … Fewest: red" would be wrong when every group holds the same.
            return $"{Words.Count(total, unit, plural)} in all, {most.Count:N0} in each of {string.Join(", ", nonZero.Select(p => p.Label))}.";
        }

        if (nonZero.Count > 1)
        {
            text += $" Fewest: {fewest.Label}, {fewest.Count:N0}.";
        }

        return text;
    }
}

/// <summary>How a chart draws its points: bars for groups, a ring for parts of a whole, columns for days.</summary>
public enum ChartKind
{
    Bars,
    Ring,
    Days,
}
