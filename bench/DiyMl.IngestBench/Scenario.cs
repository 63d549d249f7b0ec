using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace DiyMl.IngestBench;

/// <summary>One measured upload against a fresh server process.</summary>
internal static class Scenario
{
    public static async Task<Result> RunAsync(string webDll, string name, IReadOnlyList<(string FileName, byte[] Content)> files)
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
        using var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("  server: " + e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
            await WaitHealthyAsync(http);
            await LoginAsync(http);
            using var created = await http.PostAsJsonAsync("/api/datasets", new { name = "bench" });
            created.EnsureSuccessStatusCode();
            var datasetId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

            var rssBefore = ReadStatusKb(server.Id, "VmRSS:") / 1024.0;
            using var content = new MultipartFormDataContent();
            foreach (var (fileName, bytes) in files)
            {
                var part = new ByteArrayContent(bytes);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Add(part, "files", fileName);
            }

            var cpuBefore = CpuSeconds(server.Id);
            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsync($"/api/datasets/{datasetId}/images", content);
            clock.Stop();
            var cpu = CpuSeconds(server.Id) - cpuBefore;
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Upload failed: {(int)response.StatusCode} {body}");
            }

            var accepted = JsonDocument.Parse(body).RootElement.GetProperty("accepted").GetInt32();
            var peak = ReadStatusKb(server.Id, "VmHWM:") / 1024.0;
            Console.WriteLine($"  {name}: {accepted} images in {clock.Elapsed.TotalSeconds:0.00} s ({cpu:0.00} CPU-s), peak {peak:N0} MB");
            return new Result(name, accepted, clock.Elapsed.TotalSeconds, cpu, rssBefore, peak);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    private static async Task LoginAsync(HttpClient http)
    {
        var email = $"bench-{Guid.NewGuid():N}@example.org";
        const string password = "Correct-Horse-9";
        using (var register = await http.PostAsJsonAsync("/api/auth/register", new { email, password }))
        {
            register.EnsureSuccessStatusCode();
        }

        using var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    private static async Task WaitHealthyAsync(HttpClient http)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var response = await http.GetAsync("/health");
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

    // utime + stime of the server process (fields 14 and 15 of /proc/pid/stat, in clock ticks of 1/100 s).
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double ReadStatusKb(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return double.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
