using DiyMl.Domain.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DiyMl.Domain.Datasets;

public static class DatasetsServiceCollectionExtensions
{
    /// <summary>The dataset use cases. Their ports and <see cref="DatasetOptions"/> come from the infrastructure.</summary>
    public static IServiceCollection AddDatasets(this IServiceCollection services)
    {
        services.TryAddSingleton<OperationLog>();
        services.AddSingleton<IOperationHandler, ClassEditOperation>();
        services.AddSingleton<IOperationHandler, DatasetDeleteOperation>();
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
