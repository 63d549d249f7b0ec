using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Jobs;

public static class JobsInfrastructureExtensions
{
    /// <summary>
    /// The job store, channel queue, notifier and the hosted worker, sweep, queued-poll and relay services.
    /// Job handlers are added by their features with <c>services.AddSingleton&lt;IJobHandler, XHandler&gt;()</c>.
    /// </summary>
    public static IServiceCollection AddJobRunner(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>()
            .BindConfiguration(JobOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                o => o.LeaseRenewSeconds <= o.LeaseSeconds / 2,
                "Jobs:LeaseRenewSeconds must be at most half of Jobs:LeaseSeconds: a worker stops its job when its lease is 80% gone without a renewal.")
            .ValidateOnStart();

        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<JobOptions>>().Value;
            var storage = sp.GetService<IOptions<StorageOptions>>()?.Value;
            var id = string.IsNullOrWhiteSpace(options.InstanceId)
                ? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}"
                : options.InstanceId;
            var single = options.SingleInstance ?? !string.Equals(storage?.Provider, nameof(StorageProvider.Mongo), StringComparison.OrdinalIgnoreCase);
            var time = sp.GetService<TimeProvider>() ?? TimeProvider.System;
            return new JobInstance(id, single, time.GetUtcNow().UtcDateTime);
        });
        services.TryAddSingleton<IJobStore, JobStore>();
        services.TryAddSingleton<ChannelJobQueue>();
        services.TryAddSingleton<IJobQueue>(sp => sp.GetRequiredService<ChannelJobQueue>());
        services.TryAddSingleton<IJobNotifier, InMemoryJobNotifier>();
        services.TryAddSingleton<LocalJobRegistry>();
        services.TryAddSingleton<ILocalJobCancellation>(sp => sp.GetRequiredService<LocalJobRegistry>());
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton<JobRecovery>();
        services.AddHostedService<JobSweepService>();
        services.AddHostedService<JobWorkerService>();
        services.AddHostedService<JobQueuePoller>();
        services.AddHostedService<JobProgressRelay>();
        return services;
    }
}
