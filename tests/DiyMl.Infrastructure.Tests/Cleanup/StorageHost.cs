using DiyMl.Domain;
using DiyMl.Infrastructure.Tests.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Infrastructure.Tests.Cleanup;

/// <summary>
/// The portal's real domain and infrastructure composition over one LiteDB data directory, with
/// a hand-moved clock and no hosted service started: a test calls the clean-up itself.
/// </summary>
public sealed class StorageHost : IDisposable
{
    private readonly ServiceProvider _services;

    public StorageHost(string dataDirectory, ManualClock clock, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Datasets:TempDirectory"] = Path.Combine(dataDirectory, "spool"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddDomain();
        services.AddInfrastructure(configuration);
        services.AddSingleton<TimeProvider>(clock);
        _services = services.BuildServiceProvider();
        Clock = clock;
    }

    public ManualClock Clock { get; }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public void Dispose() => _services.Dispose();
}
