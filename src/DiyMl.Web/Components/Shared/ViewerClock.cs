using System.Globalization;
using Microsoft.JSInterop;

namespace DiyMl.Web.Components.Shared;

/// <summary>
/// One date format for the whole portal: relative for the last day ("5 min ago"), otherwise the
/// viewer's local date and time ("1 Dec 2026, 22:08"). The server does not know the browser's
/// time zone, so it is asked once per circuit; until then times are shown in UTC, labelled so.
/// </summary>
public sealed class ViewerClock(TimeProvider clock)
{
    private TimeZoneInfo? _zone;

    public bool Known => _zone is not null;

    /// <summary>The viewer's time zone once the browser told it; null (meaning UTC) before.</summary>
    public TimeZoneInfo? Zone => _zone;

    /// <summary>Asks the browser for its time zone once; true when that changed what is shown.</summary>
    public async Task<bool> LearnZoneAsync(IJSRuntime js)
    {
        if (_zone is not null)
        {
            return false;
        }

        try
        {
            var id = await js.InvokeAsync<string?>("diyml.timeZone");
            _zone = id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
        }
        catch (Exception ex) when (ex is JSException or InvalidOperationException or TaskCanceledException)
        {
            return false; // prerendering or a closed circuit: keep UTC
        }

        return true;
    }

    public string Format(DateTime utc) => Format(utc, clock.GetUtcNow().UtcDateTime, _zone);

    /// <summary>The rule itself, free of state, so it can be tested with any clock and zone.</summary>
    public static string Format(DateTime utc, DateTime nowUtc, TimeZoneInfo? zone)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        var age = nowUtc - utc;
        if (age >= TimeSpan.Zero && age < TimeSpan.FromDays(1))
        {
            return age.TotalMinutes < 1 ? "just now"
                : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min ago"
                : Words.Count((int)age.TotalHours, "hour") + " ago";
        }

        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone ?? TimeZoneInfo.Utc);
        var text = local.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);
        return zone is null ? text + " UTC" : text;
    }
}
