using System.Diagnostics;
using MongoDB.Driver;
using DiyMl.Infrastructure.Tests.Storage;

[assembly: AssemblyFixture(typeof(MongoTestServer))]

namespace DiyMl.Infrastructure.Tests.Storage;

/// <summary>
/// The MongoDB the Mongo engine is tested against: a real one when <c>MONGO_TEST_URL</c> is set,
/// otherwise CongoDB (tools/congodb) started on a free loopback port on first use and stopped when
/// the test run ends. A missing Node.js or npm install fails the tests that need it, loudly: the
/// Mongo engine must never go untested in CI by accident.
/// </summary>
public sealed class MongoTestServer : IAsyncDisposable
{
    public const string UrlVariable = "MONGO_TEST_URL";
    private const string ReadyPrefix = "CONGODB READY ";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Process? _process;
    private string? _url;

    /// <summary>True when the tests run against a genuine MongoDB rather than CongoDB.</summary>
    public static bool IsRealMongo => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(UrlVariable));

    /// <summary>The CongoDB node process, once started (tests that pause the database signal it).</summary>
    internal int? ProcessId => _process?.Id;

    public async Task<string> GetUrlAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _url ??= IsRealMongo ? Environment.GetEnvironmentVariable(UrlVariable)! : await StartCongoDbAsync();
            return _url;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The server's URL pointing at a database of the test's own, so tests running in parallel
    /// (and dropping their database at the end) never share one, even when MONGO_TEST_URL names a
    /// database; that database stays the one credentials are checked against.
    /// </summary>
    public async Task<string> GetUrlForDatabaseAsync(string database)
    {
        var url = new MongoUrlBuilder(await GetUrlAsync());
        if (url.Username is not null && url.AuthenticationSource is null && url.DatabaseName is not null)
        {
            url.AuthenticationSource = url.DatabaseName;
        }

        url.DatabaseName = database;
        return url.ToString();
    }

    private async Task<string> StartCongoDbAsync()
    {
        var folder = Path.Combine(RepoPaths.Root, "tools", "congodb");
        if (!File.Exists(Path.Combine(folder, "node_modules", "@push.rocks", "smartmongo", "package.json")))
        {
            throw new InvalidOperationException(
                $"CongoDB is not installed in {folder}: run tools/congodb/install.sh (./test.sh does), or set {UrlVariable} to a real MongoDB.");
        }

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

        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"Node.js ('node') was not found on PATH, so CongoDB cannot run: install Node.js 20+ or set {UrlVariable}. ({ex.Message})", ex);
        }

        var errors = _process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
                {
                    return $"mongodb://{line[ReadyPrefix.Length..].Trim()}/?directConnection=true";
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"CongoDB did not report ready within {StartTimeout.TotalSeconds} s.");
        }

        throw new InvalidOperationException($"CongoDB exited before it was ready: {await errors}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.StandardInput.Close(); // server.mjs stops cleanly when stdin closes
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
            }
            finally
            {
                process.Dispose();
            }
        }

        _gate.Dispose();
    }
}
