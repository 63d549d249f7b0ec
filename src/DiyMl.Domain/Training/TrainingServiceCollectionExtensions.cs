using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;
using DiyMl.Domain.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DiyMl.Domain.Training;

public static class TrainingServiceCollectionExtensions
{
    /// <summary>Training and model use cases; the trainer, predictor and stores come from the infrastructure.</summary>
    public static IServiceCollection AddTraining(this IServiceCollection services)
    {
        services.AddSingleton<TrainingService>();
        services.AddSingleton<ModelService>();
        services.TryAddSingleton<OperationLog>();
        services.AddSingleton<IOperationHandler, ModelDeleteOperation>();
        services.AddSingleton<IJobHandler, TrainingJobHandler>();
        return services;
    }
}
