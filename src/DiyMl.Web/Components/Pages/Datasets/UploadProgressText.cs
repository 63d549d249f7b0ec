using System.Globalization;

namespace DiyMl.Web.Components.Pages.Datasets;

/// <summary>
/// The upload panel's progress line: first the bytes of the file that have reached the server
/// ("Sending fruit.zip: 2.1 of 8.4 MB sent"), then, for a zip, the pictures taken out of it
/// ("Unpacking 34 of 150 from fruit.zip").
/// </summary>
public static class UploadProgressText
{
    public static string Phase(string file, long sentBytes, long sizeBytes, (int Done, int Total)? unpacking) =>
        unpacking is { } u
            ? string.Create(CultureInfo.InvariantCulture, $"Unpacking {u.Done:N0} of {u.Total:N0} from {file}")
            : $"Sending {file}: {Sent(sentBytes, sizeBytes)}";

    /// <summary>"2.1 of 8.4 MB sent"; kilobytes for files under a megabyte, so a small file does not read "0.0 of 0.2 MB".</summary>
    public static string Sent(long sentBytes, long sizeBytes)
    {
        sentBytes = Math.Clamp(sentBytes, 0, Math.Max(0, sizeBytes));
        return sizeBytes < 1024 * 1024
            ? string.Create(CultureInfo.InvariantCulture, $"{sentBytes / 1024.0:0} of {sizeBytes / 1024.0:0} KB sent")
            : string.Create(CultureInfo.InvariantCulture, $"{sentBytes / 1048576.0:0.0} of {sizeBytes / 1048576.0:0.0} MB sent");
    }
}
