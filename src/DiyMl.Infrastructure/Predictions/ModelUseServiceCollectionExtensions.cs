using DiyMl.Domain.Common;
using DiyMl.Domain.Predictions;
using DiyMl.Domain.Publishing;
using DiyMl.Domain.Testing;
using DiyMl.Infrastructure.Publishing;
using DiyMl.Infrastructure.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DiyMl.Infrastructure.Predictions;

public static class ModelUseServiceCollectionExtensions
{
    /// <summary>Stores for using a model: recorded predictions and their rollups, publications, test runs.</summary>
    public static IServiceCollection AddModelUseStores(this IServiceCollection services)
    {
        services.AddSingleton<IPredictionStore, PredictionStore>();
        services.AddOptions<PredictionLogOptions>()
            .BindConfiguration(PredictionLogOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PredictionLogOptions>>().Value);
        services.TryAddSingleton<KeptPredictionStore>();
        services.TryAddSingleton<IKeptPredictionStore>(sp => sp.GetRequiredService<KeptPredictionStore>());
        services.AddSingleton<IBlobReferenceSource>(sp => sp.GetRequiredService<KeptPredictionStore>());
        services.AddHostedService<KeptPredictionSweepService>();
        services.AddSingleton<PredictionRecorder>();
        services.AddSingleton<IPredictionRecorder>(sp => sp.GetRequiredService<PredictionRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<PredictionRecorder>());
        services.AddSingleton<IPublicationStore, PublicationStore>();
        services.AddSingleton<IModelTestStore, ModelTestStore>();
        return services;
    }
}
