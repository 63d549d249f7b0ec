namespace DiyMl.Web;

/// <summary>
/// <c>dotnet DiyMl.Web.dll --health-probe</c>: the container image has no curl, so the
/// Dockerfile's HEALTHCHECK asks the portal itself to call its own /health.
/// </summary>
internal static class HealthProbe
{
    public static async Task<int> RunAsync()
    {
        var port = Environment.GetEnvironmentVariable("HEALTH_PROBE_PORT") ?? "8080";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
