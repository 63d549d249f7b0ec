using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Infrastructure.Imaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Datasets;

public static class DatasetsInfrastructureExtensions
{
    /// <summary>Dataset stores, the SkiaSharp inspector and the validated <c>Datasets</c> options.</summary>
    public static IServiceCollection AddDatasetInfrastructure(this IServiceCollection services)
    {
        services.AddOptions<DatasetOptions>()
            .BindConfiguration(DatasetOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatasetOptions>>().Value);
        services.AddSingleton<IDatasetStore, DatasetStore>();
        services.AddSingleton<ImageStore>();
        services.AddSingleton<IImageStore>(sp => sp.GetRequiredService<ImageStore>());
        services.AddSingleton<IBlobReferenceSource>(sp => sp.GetRequiredService<ImageStore>());
        services.AddSingleton<IOperationStore, OperationStore>();
        services.AddSingleton<IImageInspector, SkiaImageInspector>();
        return services;
    }
}
