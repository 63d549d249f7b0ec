using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Blobs;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Infrastructure.Cleanup;

public static class CleanupServiceCollectionExtensions
{
    /// <summary>Blob references, the sweeper, retention of finished jobs and the hosted clean-up service.</summary>
    public static IServiceCollection AddCleanup(this IServiceCollection services)
    {
        services.AddOptions<BlobSweepOptions>().BindConfiguration(BlobSweepOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => (ISweepableBlobStore)sp.GetRequiredService<IBlobStore>());
        services.AddSingleton<IBlobReferenceSource, ModelBlobReferences>();
        services.AddSingleton<IBlobReferenceSource, JobBlobReferences>();
        services.AddSingleton<BlobSweeper>();
        services.AddSingleton<Retention>();
        services.AddSingleton<TempFileSweeper>();
        services.AddSingleton<Cleanup>();
        services.AddHostedService<CleanupService>();
        return services;
    }
}
