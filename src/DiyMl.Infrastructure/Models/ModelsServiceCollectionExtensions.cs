using DiyMl.Domain.Models;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Infrastructure.Models;

public static class ModelsServiceCollectionExtensions
{
    public static IServiceCollection AddModelStores(this IServiceCollection services)
    {
        services.AddSingleton<ITrainedModelStore, TrainedModelStore>();
        return services;
    }
}
