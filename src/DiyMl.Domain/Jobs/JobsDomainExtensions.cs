using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Domain.Jobs;

public static class JobsDomainExtensions
{
    /// <summary>The job use cases; the store, queue, notifier and runner come from the infrastructure.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddSingleton<JobService>();
        return services;
    }
}
