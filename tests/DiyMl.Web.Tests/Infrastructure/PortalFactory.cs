using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DiyMl.Web.Tests.Infrastructure;

/// <summary>
/// The whole portal in memory on a temporary data directory. Use it as a class or assembly
/// fixture; tests stay independent by creating their own users with
/// <see cref="CreateUserClientAsync"/>. Add settings (e.g. <c>Jobs:Workers</c>) to
/// <see cref="Settings"/> in a derived class's constructor.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "Correct-Horse-9";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "diyml-web-" + Guid.NewGuid().ToString("N"));

    /// <summary>Leave the data directory on disk after disposal (to start a second portal on it).</summary>
    public bool KeepDataDirectory { get; set; }

    /// <summary>Configuration applied to the app; change it before the first client is created.</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public PortalFactory()
    {
        Settings["Storage:DataDirectory"] = DataDirectory;
        Settings["Ml:WarmUpOnStart"] = "false"; // dozens of test servers would each spend ~3 CPU-s on it

        // The in-memory server has no client address, so every test shares one; brute-force tests set their own limits.
        Settings["Security:AuthRequestsPerMinute"] = "100000";
        Settings["Security:FailuresPerAddress"] = "100000";
    }

    public static string NewEmail(string who = "user") => $"{who}-{Guid.NewGuid():N}@example.org";

    /// <summary>Registers (if new) and logs in through the REST API; the client carries the bearer token.</summary>
    public async Task<HttpClient> CreateUserClientAsync(string? email = null)
    {
        email ??= NewEmail();
        var client = CreateClient();
        using (var register = await client.PostAsJsonAsync("/api/auth/register", new { email, password = Password }))
        {
            if (!register.IsSuccessStatusCode && register.StatusCode != System.Net.HttpStatusCode.Conflict)
            {
                throw new InvalidOperationException($"Register {email} failed: {(int)register.StatusCode} {await register.Content.ReadAsStringAsync()}");
            }
        }

        var token = await LoginAsync(client, email);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    public static async Task<TokenResponse> LoginAsync(HttpClient client, string email, string password = Password)
    {
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        if (!login.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Login {email} failed: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        }

        return (await login.Content.ReadFromJsonAsync<TokenResponse>())!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        // The in-memory server gives requests no remote address; a real one always has one. Give
        // them one (TEST-NET-1), so per-address throttles see what they see behind Kestrel.
        builder.ConfigureServices(services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions
            .AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, TestClientAddress>(services));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (KeepDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory left behind is harmless
        }
    }
}

public sealed record TokenResponse(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

/// <summary>Sets a fixed client address on requests of the in-memory test server (which has none).</summary>
internal sealed class TestClientAddress : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    private static readonly System.Net.IPAddress Address = System.Net.IPAddress.Parse("192.0.2.1");

    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        Microsoft.AspNetCore.Builder.UseExtensions.Use(app, (context, call) =>
        {
            context.Connection.RemoteIpAddress ??= Address;
            return call();
        });
        next(app);
    };
}
