using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Storage;
using DiyMl.Infrastructure.Storage.LiteDb;
using DiyMl.Infrastructure.Storage.Mongo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Tests.Storage;

/// <summary>The Storage settings choose the engine and blob store, or stop start-up naming the setting.</summary>
public sealed class StorageRegistrationTests(MongoTestServer server) : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void The_default_is_LiteDB_with_blobs_as_files()
    {
        using var services = Build(new());

        Assert.IsType<LiteDbEngine>(services.GetRequiredService<IStorageEngine>());
        Assert.IsType<FileBlobStore>(services.GetRequiredService<IBlobStore>());
        Assert.Equal("LiteDb", services.GetRequiredService<IStorageHealth>().Engine);
    }

    [Fact]
    public async Task Mongo_provider_uses_the_connection_string_and_GridFS()
    {
        using var services = Build(new()
        {
            ["Storage:Provider"] = "mongo",
            ["ConnectionStrings:Mongo"] = await server.GetUrlForDatabaseAsync("diyml_registration"),
        });

        var engine = Assert.IsType<MongoEngine>(services.GetRequiredService<IStorageEngine>());
        Assert.IsType<GridFsBlobStore>(services.GetRequiredService<IBlobStore>());
        Assert.True((await engine.CheckAsync()).Healthy);
    }

    [Fact]
    public void Mongo_provider_without_a_connection_string_names_the_missing_setting()
    {
        using var services = Build(new() { ["Storage:Provider"] = "Mongo" });

        var refused = Assert.Throws<StartupException>(() => services.GetRequiredService<IStorageEngine>());

        Assert.Contains("ConnectionStrings:Mongo", refused.Message);
    }

    [Theory]
    [InlineData("Storage:Provider", "Postgres", "Storage:Provider 'Postgres' is not valid; allowed values: LiteDb, Mongo.")]
    [InlineData("Storage:Provider", "1", "Storage:Provider '1' is not valid; allowed values: LiteDb, Mongo.")]
    [InlineData("Storage:MongoConnectTimeoutSeconds", "0", "Storage:MongoConnectTimeoutSeconds must be between 1 and 300 (got 0).")]
    public void Invalid_settings_fail_validation_with_a_message_naming_them(string key, string value, string message)
    {
        using var services = Build(new() { [key] = value });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Equal(message, failure.Message);
    }

    public void Dispose() => _dir.Dispose();

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Storage:DataDirectory", _dir.Path);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddStorage(configuration);
        return services.BuildServiceProvider();
    }
}
