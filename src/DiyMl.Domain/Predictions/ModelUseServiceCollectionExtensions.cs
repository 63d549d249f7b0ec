using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;
using DiyMl.Domain.Publishing;
using DiyMl.Domain.Reports;
using DiyMl.Domain.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Domain.Predictions;

public static class ModelUseServiceCollectionExtensions
{
    /// <summary>Using a trained model: predict (now or as a job), publish, test, and report on it.</summary>
    public static IServiceCollection AddModelUse(this IServiceCollection services)
    {
        services.AddSingleton<PredictionService>();
        services.AddSingleton<LabelSuggestionService>();
        services.AddSingleton<PredictionLogService>();
        services.AddSingleton<BatchPredictionService>();
        services.AddSingleton<BatchPredictionResults>();
        services.AddSingleton<IJobHandler, BatchPredictionJobHandler>();
        services.AddSingleton<PublishingService>();
        services.AddSingleton<IModelDeletedListener, PublicationCleanup>();
        services.AddSingleton<ModelTestService>();
        services.AddSingleton<ArchiveTestService>();
        services.AddSingleton<IJobHandler, ModelTestJobHandler>();
        services.AddSingleton<IModelDeletedListener, ModelUseCleanup>();
        services.AddSingleton<ModelReportService>();
        services.AddSingleton<ReportsOverviewService>();
        services.AddSingleton<ModelCardService>();
        return services;
    }
}
