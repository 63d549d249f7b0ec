using System.Net;
using System.Net.Sockets;

namespace DiyMl.Web.Tests.Startup;

/// <summary>
/// A setting that cannot work stops the portal at start with exit code 1 and one line on stderr
/// naming the setting, never a stack trace.
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "diyml-startup-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_second_portal_on_the_same_data_directory_exits_saying_the_directory_is_in_use()
    {
        var settings = new Dictionary<string, string> { ["Storage__DataDirectory"] = _dataDirectory };
        await using var first = PortalProcess.Start(settings);
        var address = await first.WaitUntilListeningAsync();

        await using var second = PortalProcess.Start(settings);
        var exitCode = await second.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(second.ErrorLines);
        Assert.Contains("in use", line);
        Assert.Contains("Storage:DataDirectory", line);
        using var http = new HttpClient();
        var health = await http.GetAsync(new Uri(address, "/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode); // the first one is unharmed
    }

    [Fact]
    public async Task An_unknown_storage_provider_exits_naming_Storage_Provider_and_the_allowed_values()
    {
        await using var portal = PortalProcess.Start(new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = _dataDirectory,
            ["Storage__Provider"] = "Nonsense",
        });

        var exitCode = await portal.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(portal.ErrorLines);
        Assert.Contains("Storage:Provider", line);
        Assert.Contains("Nonsense", line);
        Assert.Contains("LiteDb", line);
        Assert.Contains("Mongo", line);
    }

    [Fact]
    public async Task An_unreachable_MongoDB_exits_naming_ConnectionStrings_Mongo_and_the_host_but_not_the_password()
    {
        await using var portal = PortalProcess.Start(new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = _dataDirectory,
            ["Storage__Provider"] = "Mongo",
            ["Storage__MongoConnectTimeoutSeconds"] = "2",
            ["ConnectionStrings__Mongo"] = $"mongodb://diyml:hunter2secret@127.0.0.1:{ClosedPort()}/diyml",
        });

        var exitCode = await portal.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(portal.ErrorLines);
        Assert.Contains("ConnectionStrings:Mongo", line);
        Assert.Contains("127.0.0.1", line);
        Assert.DoesNotContain("hunter2secret", line);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>A loopback port nothing listens on: bound by the OS, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
