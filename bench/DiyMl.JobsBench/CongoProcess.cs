using System.Diagnostics;

namespace DiyMl.JobsBench;

/// <summary>tools/congodb/server.mjs on a free loopback port, stopped with the bench.</summary>
internal sealed class CongoProcess(Process process, string url) : IAsyncDisposable
{
    public string Url { get; } = url;

    public static async Task<CongoProcess> StartAsync(string folder)
    {
        var start = new ProcessStartInfo("node", ["server.mjs", "0"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("CONGODB READY ", StringComparison.Ordinal))
            {
                return new CongoProcess(process, "mongodb://" + line["CONGODB READY ".Length..].Trim());
            }
        }

        throw new InvalidOperationException("CongoDB did not start; run tools/congodb/install.sh first.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
