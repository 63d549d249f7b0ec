using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Storage.LiteDb;
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

        services.AddSingleton<IStorageEngine>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.Provider switch
            {
                StorageProvider.LiteDb => new LiteDbEngine(options.DataDirectory),
                _ => throw new StartupException($"Storage:Provider '{options.Provider}' is not available in this build."),
            };
        });
        services.AddSingleton<IStorageHealth>(sp => sp.GetRequiredService<IStorageEngine>());
        services.AddSingleton<IBlobStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new FileBlobStore(options.DataDirectory);
        });
        return services;
    }
}
