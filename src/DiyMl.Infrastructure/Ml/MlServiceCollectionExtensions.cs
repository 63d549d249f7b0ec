using DiyMl.Domain.Training;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Infrastructure.Ml;

public static class MlServiceCollectionExtensions
{
    /// <summary>Trainer, predictor and exporter as singletons over one shared ResNet18 featurizer, warmed up in the background at start-up.</summary>
    public static IServiceCollection AddMl(this IServiceCollection services)
    {
        services.AddSingleton(_ => new Lazy<ResNetFeaturizer>(() => new ResNetFeaturizer(), LazyThreadSafetyMode.ExecutionAndPublication));
        services.AddSingleton<FeatureCache>();
        services.AddSingleton<MlModelTrainer>();
        services.AddSingleton<IModelTrainer>(sp => sp.GetRequiredService<MlModelTrainer>());
        services.AddSingleton<MlModelPredictor>();
        services.AddSingleton<IModelPredictor>(sp => sp.GetRequiredService<MlModelPredictor>());
        services.AddSingleton<IModelExporter, MlModelExporter>();
        services.AddSingleton<IOnnxModelExporter, Onnx.OnnxModelExporter>();
        services.AddOptions<MlOptions>().BindConfiguration(MlOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<MlWarmUpService>();
        return services;
    }
}
