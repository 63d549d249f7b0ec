using DiyMl.Domain.Datasets;

namespace DiyMl.Infrastructure.Cleanup;

/// <summary>
/// Removes spool files a crash kept from their delete-on-close: upload and prediction-job zips
/// (<c>diyml-upload-*.zip</c>, <c>diyml-batch-*.zip</c>) and model download files (<c>tmp*.tmp</c>,
/// from <see cref="Path.GetTempFileName"/>). Only files older than a day go: no request runs that
/// long, and another program's recent temp file is never touched.
/// </summary>
public sealed class TempFileSweeper(DatasetOptions options, TimeProvider clock)
{
    private static readonly string[] Patterns = ["diyml-upload-*.zip", "diyml-batch-*.zip", "tmp*.tmp"];

    public string Directory => string.IsNullOrEmpty(options.TempDirectory) ? Path.GetTempPath() : options.TempDirectory;

    public int Sweep()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return 0;
        }

        var cutoff = clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(1);
        var removed = 0;
        foreach (var path in Patterns.SelectMany(p => System.IO.Directory.EnumerateFiles(Directory, p)))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(path) < cutoff)
                {
                    File.Delete(path);
                    removed++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's file in a shared temp folder, or still open: not ours to force.
            }
        }

        return removed;
    }
}
