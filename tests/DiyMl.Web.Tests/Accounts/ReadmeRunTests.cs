using System.Diagnostics;
using System.Net;
using System.Text;

namespace DiyMl.Web.Tests.Accounts;

/// <summary>
/// The README's command, <c>dotnet run --project src/DiyMl.Web</c>, started as a process with no
/// ASPNETCORE_ENVIRONMENT: it must run as Production (no developer pages to anyone) and still
/// serve MudBlazor's static files.
/// </summary>
public sealed class ReadmeRunTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "diyml-readme-" + Guid.NewGuid().ToString("N"));
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;

    public async ValueTask InitializeAsync()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "DiyMl.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "run", "--project", "src/DiyMl.Web", "--no-build", "-c", Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/')))!, "--", "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment["Storage__DataDirectory"] = _data;
        start.Environment["Ml__WarmUpOnStart"] = "false";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Task.CompletedTask;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        const string marker = "Now listening on: ";
        if (line.Contains(marker, StringComparison.Ordinal))
        {
            _listening.TrySetResult(new Uri(line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim()));
        }
    }

    [Fact]
    public async Task The_readme_command_runs_as_production_shows_no_stack_and_serves_mudblazor()
    {
        var address = await _listening.Task.WaitAsync(TimeSpan.FromSeconds(120), Ct);
        using var http = new HttpClient { BaseAddress = address };

        using var logout = await http.PostAsync("/account/logout", new FormUrlEncodedContent([]), Ct);
        var body = await logout.Content.ReadAsStringAsync(Ct);
        using var css = await http.GetAsync("/_content/MudBlazor/MudBlazor.min.css", Ct);
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/health");
        proxied.Headers.Add("X-Forwarded-Proto", "https"); // from loopback, a trusted proxy by default
        proxied.Headers.Host = "portal.example"; // HSTS is never sent to localhost
        using var overTls = await http.SendAsync(proxied, Ct);

        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        Assert.Contains("Hosting environment: Production", output);
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain(" at ", body);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.True(overTls.Headers.Contains("Strict-Transport-Security"), "HSTS behind a TLS-terminating proxy");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
