using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Storage.LiteDb;
using DiyMl.Infrastructure.Storage.Mongo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Storage;

public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        services.AddSingleton<IStorageEngine>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.ProviderKind switch
            {
                StorageProvider.LiteDb => new LiteDbEngine(options.DataDirectory),
                StorageProvider.Mongo => CreateMongo(configuration, options),
                _ => throw new StartupException($"Storage:Provider '{options.Provider}' is not valid; allowed values: {string.Join(", ", Enum.GetNames<StorageProvider>())}."),
            };
        });
        services.AddSingleton<IStorageHealth>(sp => sp.GetRequiredService<IStorageEngine>());
        services.AddSingleton<IBlobStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var clock = sp.GetService<TimeProvider>(); // the sweeper judges "last written" by the same clock
            return sp.GetRequiredService<IStorageEngine>() switch
            {
                MongoEngine mongo => new GridFsBlobStore(mongo.Database, Path.Combine(options.DataDirectory, "tmp"), clock),
                _ => new FileBlobStore(options.DataDirectory, clock),
            };
        });
        return services;
    }

    private static MongoEngine CreateMongo(IConfiguration configuration, StorageOptions options)
    {
        var connectionString = configuration.GetConnectionString("Mongo");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StartupException(
                "ConnectionStrings:Mongo is not set; Storage:Provider=Mongo needs it (e.g. mongodb://localhost:27017, env ConnectionStrings__Mongo).");
        }

        return new MongoEngine(connectionString, options.MongoDatabase, TimeSpan.FromSeconds(options.MongoConnectTimeoutSeconds));
    }
}
