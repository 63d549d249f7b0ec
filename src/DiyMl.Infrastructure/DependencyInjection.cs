using DiyMl.Infrastructure.Accounts;
using DiyMl.Infrastructure.Cleanup;
using DiyMl.Infrastructure.Datasets;
using DiyMl.Infrastructure.Jobs;
using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Models;
using DiyMl.Infrastructure.Predictions;
using DiyMl.Infrastructure.Quotas;
using DiyMl.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Every port the domain needs, implemented: storage, blobs, imaging, ML and jobs.</summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStorage(configuration);
        services.AddAccountStores();
        services.AddDatasetInfrastructure();
        services.AddMl();
        services.AddModelStores();
        services.AddModelUseStores();
        services.AddJobRunner();
        services.AddCleanup();
        services.AddQuotaStores();
        return services;
    }
}
