using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace DiyMl.IngestBench;

/// <summary>The real portal (Release build) as its own process on a free loopback port, with a fresh data directory and a logged-in client.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDir;

    private BenchServer(Process process, string dataDir, HttpClient http)
    {
        _process = process;
        _dataDir = dataDir;
        Http = http;
    }

    public HttpClient Http { get; }

    /// <summary>The signed-in user's credentials, for a browser to sign in with.</summary>
    public string Email { get; private set; } = "";

    public const string Password = "Correct-Horse-9";

    public string BaseUrl => Http.BaseAddress!.ToString().TrimEnd('/');

    public int Pid => _process.Id;

    public static async Task<BenchServer> StartAsync(string webDll)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "diyml-bench-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [webDll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
        };
        start.Environment["Storage__DataDirectory"] = dataDir;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("  server: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BenchServer(process, dataDir, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) });
        try
        {
            await server.WaitHealthyAsync();
            await server.LoginAsync();
            // Let start-up work (the background ML warm-up) finish, as it has long before real users arrive.
            await Task.Delay(TimeSpan.FromSeconds(3));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task<string> CreateDatasetAsync(string name)
    {
        using var created = await Http.PostAsJsonAsync("/api/datasets", new { name });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>One multipart POST of every file to the dataset; the answer's body.</summary>
    public async Task<HttpResponseMessage> UploadAsync(string datasetId, IReadOnlyList<(string FileName, byte[] Content)> files)
    {
        using var content = new MultipartFormDataContent();
        foreach (var (fileName, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "files", fileName);
        }

        return await Http.PostAsync($"/api/datasets/{datasetId}/images", content);
    }

    // utime + stime of the server process (fields 14 and 15 of /proc/pid/stat, in clock ticks of 1/100 s).
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public double StatusMb(string field)
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private async Task LoginAsync()
    {
        var email = Email = $"bench-{Guid.NewGuid():N}@example.org";
        const string password = Password;
        using (var register = await Http.PostAsJsonAsync("/api/auth/register", new { email, password }))
        {
            register.EnsureSuccessStatusCode();
        }

        using var login = await Http.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task WaitHealthyAsync()
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var response = await Http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server did not become healthy within 30 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
