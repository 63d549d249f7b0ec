using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Ml;

public static class MlServiceCollectionExtensions
{
    /// <summary>Trainer, predictor and exporter as singletons over one shared ResNet18 featurizer, warmed up in the background at start-up.</summary>
    public static IServiceCollection AddMl(this IServiceCollection services)
    {
        // The INT8 network is produced into, and kept in, the data directory (Quantization/Int8Network).
        services.AddSingleton(sp => new Lazy<ResNetFeaturizer>(
            () => new ResNetFeaturizer(networkDirectory: Path.Combine(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory, "networks")),
            LazyThreadSafetyMode.ExecutionAndPublication));
        services.AddSingleton<FeatureCache>();
        services.AddSingleton<MlModelTrainer>();
        services.AddSingleton<IModelTrainer>(sp => sp.GetRequiredService<MlModelTrainer>());
        services.AddSingleton<MlModelPredictor>();
        services.AddSingleton<IModelPredictor>(sp => sp.GetRequiredService<MlModelPredictor>());
        // Download parts built once per feature space live in the data directory (a volume in Docker), not in /tmp.
        services.AddSingleton(sp => new Export.FeaturizerZipCache(Path.Combine(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory, "exports")));
        services.AddSingleton<IModelExporter, MlModelExporter>();
        services.AddSingleton<IOnnxModelExporter, Onnx.OnnxModelExporter>();
        services.AddOptions<MlOptions>().BindConfiguration(MlOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<MlWarmUpService>();
        return services;
    }
}
