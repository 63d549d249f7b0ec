using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure.Jobs;
using DiyMl.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DiyMl.Infrastructure.Tests.Jobs;

/// <summary>
/// The job runner as one portal instance would run it, over a storage engine the test owns (so
/// several "instances" can share one store). Timings are shortened; behaviour is the same.
/// </summary>
internal sealed class JobTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _hosted = [];

    private JobTestHost(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;

    public JobService Jobs => _services.GetRequiredService<JobService>();

    public IJobStore Store => _services.GetRequiredService<IJobStore>();

    public IJobNotifier Notifier => _services.GetRequiredService<IJobNotifier>();

    public ObservedJobStore Observed => (ObservedJobStore)Store;

    public static async Task<JobTestHost> StartAsync(
        IStorageEngine engine,
        IJobHandler handler,
        Action<JobOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        bool start = true)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        collection.AddSingleton(engine);
        collection.AddSingleton<IJobStore>(sp => new ObservedJobStore(new JobStore(sp.GetRequiredService<IStorageEngine>())));
        services?.Invoke(collection);
        collection.AddSingleton(TimeProvider.System);
        collection.AddJobs();
        collection.AddJobRunner();
        collection.AddSingleton(handler);
        collection.Configure<JobOptions>(o =>
        {
            o.InstanceId = $"test-{Guid.NewGuid():N}";
            o.LeaseSeconds = 5;
            o.LeaseRenewSeconds = 0.2;
            o.CancelPollSeconds = 0.05;
            o.ProgressSaveSeconds = 0.1;
            o.SweepSeconds = 0.2;
            o.RelaySeconds = 0.05;
            configure?.Invoke(o);
        });

        var host = new JobTestHost(collection.BuildServiceProvider(validateScopes: true));
        if (start)
        {
            await host.StartHostedAsync();
        }

        return host;
    }

    public async Task StartHostedAsync()
    {
        foreach (var service in _services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
            _hosted.Add(service);
        }
    }

    public async Task StopHostedAsync()
    {
        foreach (var service in Enumerable.Reverse(_hosted))
        {
            await service.StopAsync(CancellationToken.None);
        }

        _hosted.Clear();
    }

    /// <summary>Completes when the job reaches the status (already there counts), with its stored document.</summary>
    public async Task<Job> WaitForStatusAsync(string jobId, JobStatus status)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Notifier.SubscribeJob(jobId, update =>
        {
            if (update.Status == status)
            {
                reached.TrySetResult();
            }
        });
        if ((await Store.GetAsync(jobId))?.Status != status)
        {
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }

        var job = await Store.GetAsync(jobId);
        Assert.NotNull(job);
        Assert.Equal(status, job.Status);
        return job;
    }

    public async ValueTask DisposeAsync()
    {
        await StopHostedAsync();
        await _services.DisposeAsync();
    }
}

/// <summary>
/// A real job store that also tells the test about every successful write, and can stall like
/// a database that stopped answering (every call waits until <see cref="Resume"/>, or its token).
/// </summary>
internal sealed class ObservedJobStore(IJobStore inner) : IJobStore
{
    private volatile TaskCompletionSource? _stall;

    public event Action<Job>? Written;

    public void Stall() => _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Resume() => Interlocked.Exchange(ref _stall, null)?.TrySetResult();

    public async Task<Job?> GetAsync(string id, CancellationToken ct = default)
    {
        await WhileStalledAsync(ct);
        return await inner.GetAsync(id, ct);
    }

    public async Task InsertAsync(Job job, CancellationToken ct = default)
    {
        await WhileStalledAsync(ct);
        await inner.InsertAsync(job, ct);
        Written?.Invoke(job.Copy());
    }

    public async Task<bool> TryReplaceAsync(Job job, CancellationToken ct = default)
    {
        await WhileStalledAsync(ct);
        var replaced = await inner.TryReplaceAsync(job, ct);
        if (replaced)
        {
            Written?.Invoke(job.Copy());
        }

        return replaced;
    }

    public async Task<Domain.Common.Page<Job>> ListAsync(string ownerId, JobKind? kind, JobStatus? status, int skip, int take, CancellationToken ct = default)
    {
        await WhileStalledAsync(ct);
        return await inner.ListAsync(ownerId, kind, status, skip, take, ct);
    }

    public async Task<IReadOnlyList<Job>> FindByStatusAsync(JobStatus status, int limit, CancellationToken ct = default)
    {
        await WhileStalledAsync(ct);
        return await inner.FindByStatusAsync(status, limit, ct);
    }

    private Task WhileStalledAsync(CancellationToken ct) => _stall?.Task.WaitAsync(ct) ?? Task.CompletedTask;

    public Task<bool> DeleteAsync(string id, CancellationToken ct = default) => inner.DeleteAsync(id, ct);

    /// <summary>Completes at the first write (from now on) whose stored job matches.</summary>
    public async Task<Job> WaitForWriteAsync(string jobId, Func<Job, bool> match)
    {
        var seen = new TaskCompletionSource<Job>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnWritten(Job job)
        {
            if (job.Id == jobId && match(job))
            {
                seen.TrySetResult(job);
            }
        }

        Written += OnWritten;
        try
        {
            return await seen.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }
        finally
        {
            Written -= OnWritten;
        }
    }
}
