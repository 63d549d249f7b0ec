using System.Diagnostics;
using System.Text;

namespace DiyMl.Web.Tests.Startup;

/// <summary>
/// The built portal run as a real process (<c>dotnet DiyMl.Web.dll --urls http://127.0.0.1:0</c>),
/// as an operator would start it, with settings given as environment variables.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PortalProcess(IReadOnlyDictionary<string, string> environment, string? directory = null)
    {
        var web = directory ?? Path.Combine(FindRoot(), "src", "DiyMl.Web", "bin", Configuration(), "net10.0");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(web, "DiyMl.Web.dll"), "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Ml__WarmUpOnStart"] = "false";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnStdout(e.Data);
        _process.ErrorDataReceived += (_, e) => OnStderr(e.Data);
        _process.Exited += (_, _) => _exited.TrySetResult();
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static PortalProcess Start(IReadOnlyDictionary<string, string> environment) => new(environment);

    /// <summary>Starts the portal found in <paramref name="directory"/> (e.g. a <c>dotnet publish</c> output).</summary>
    public static PortalProcess StartFrom(string directory, IReadOnlyDictionary<string, string> environment) => new(environment, directory);

    /// <summary>The repository root (the folder holding DiyMl.sln).</summary>
    public static string RepositoryRoot => FindRoot();

    /// <summary>Stderr, one entry per non-empty line.</summary>
    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
        }
    }

    /// <summary>Waits for Kestrel's "Now listening on" line and returns the address.</summary>
    public async Task<Uri> WaitUntilListeningAsync()
    {
        var first = await Task.WhenAny(_listening.Task, _exited.Task).WaitAsync(Patience);
        Assert.True(first == _listening.Task, $"the portal exited before listening: {string.Join(" | ", ErrorLines)}");
        return await _listening.Task;
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _exited.Task.WaitAsync(Patience);
        await _process.WaitForExitAsync(); // drains the redirected streams
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnStderr(string? line)
    {
        if (line is not null)
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line);
            }
        }
    }

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stdout)
        {
            _stdout.AppendLine(line);
        }

        const string marker = "Now listening on: ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            _listening.TrySetResult(new Uri(line[(at + marker.Length)..].Trim()));
        }
    }

    private static string Configuration() =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DiyMl.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"DiyMl.sln was not found above {AppContext.BaseDirectory}.");
    }
}
