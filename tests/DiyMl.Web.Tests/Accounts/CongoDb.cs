using System.Diagnostics;

namespace DiyMl.Web.Tests.Accounts;

/// <summary>
/// A MongoDB for the several-instances tests: <c>MONGO_TEST_URL</c> when set, else CongoDB from
/// tools/congodb (installed by ./test.sh) on a free port, stopped when the fixture is disposed.
/// </summary>
public sealed class CongoDb : IAsyncLifetime
{
    private Process? _process;

    public string Url { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("MONGO_TEST_URL") is { Length: > 0 } real)
        {
            Url = real;
            return;
        }

        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "DiyMl.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("DiyMl.sln not found above the test binaries.");
        }

        var folder = Path.Combine(root, "tools", "congodb");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("server.mjs");
        start.ArgumentList.Add("0");
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("CONGODB READY ", StringComparison.Ordinal))
            {
                Url = $"mongodb://{line["CONGODB READY ".Length..].Trim()}/?directConnection=true";
                return;
            }
        }

        throw new InvalidOperationException("CongoDB exited before it was ready: " + await _process.StandardError.ReadToEndAsync(timeout.Token));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.StandardInput.Close(); // server.mjs stops when stdin closes
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        _process?.Dispose();
    }
}
