using DiyMl.Domain.Accounts;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Predictions;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Quotas;
using DiyMl.Domain.Training;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Domain;

public static class DependencyInjection
{
    /// <summary>The use-case services; their ports are registered by the infrastructure.</summary>
    public static IServiceCollection AddDomain(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddAccounts();
        services.AddDatasets();
        services.AddJobs();
        services.AddTraining();
        services.AddModelUse();
        services.AddQuotas();
        return services;
    }
}
