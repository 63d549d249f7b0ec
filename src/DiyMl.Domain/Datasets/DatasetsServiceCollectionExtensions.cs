using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Domain.Datasets;

public static class DatasetsServiceCollectionExtensions
{
    /// <summary>The dataset use cases. Their ports and <see cref="DatasetOptions"/> come from the infrastructure.</summary>
    public static IServiceCollection AddDatasets(this IServiceCollection services)
    {
        services.AddSingleton<DatasetMutations>();
        services.AddSingleton<ImageRemover>();
        services.AddSingleton<DatasetService>();
        services.AddSingleton<ClassService>();
        services.AddSingleton<GalleryService>();
        services.AddSingleton<ImageIngestService>();
        services.AddSingleton<DatasetAnalysisService>();
        return services;
    }
}
