using System.Collections.Concurrent;
using DiyMl.Domain.Accounts;
using DiyMl.Domain.Jobs;
using DiyMl.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.Jobs;

/// <summary>The portal with a test-controlled job handler in place of the real ones.</summary>
public sealed class JobsPortalFactory : PortalFactory
{
    public JobsPortalFactory()
    {
        Settings["Jobs:Workers"] = "2";
        Settings["Jobs:CancelPollSeconds"] = "0.05";
        Settings["Jobs:SweepSeconds"] = "0.5";
    }

    public SteppedHandler Handler { get; } = new();

    public JobService Jobs => Services.GetRequiredService<JobService>();

    /// <summary>A signed-in client and the user's id, to create jobs for them directly.</summary>
    public async Task<(HttpClient Client, string UserId)> CreateUserAsync()
    {
        var email = NewEmail();
        var client = await CreateUserClientAsync(email);
        using var scope = Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        return (client, user!.Id);
    }

    /// <summary>A job of the test handler's kind that reports <paramref name="steps"/> steps, each released by the test.</summary>
    public Task<Job> CreateJobAsync(string userId, int steps = 3, string? fail = null) =>
        Jobs.CreateAsync(userId, new JobRequest(SteppedHandler.HandledKind, DatasetId: "dataset-of-test",
            InputJson: System.Text.Json.JsonSerializer.Serialize(new { steps, fail })));

    public async Task<Job> WaitForStatusAsync(string jobId, JobStatus status)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Services.GetRequiredService<IJobNotifier>().SubscribeJob(jobId, u =>
        {
            if (u.Status == status)
            {
                reached.TrySetResult();
            }
        });
        if ((await Services.GetRequiredService<IJobStore>().GetAsync(jobId))?.Status != status)
        {
            await reached.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }

        return (await Services.GetRequiredService<IJobStore>().GetAsync(jobId))!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IJobHandler>(Handler));
    }
}

/// <summary>
/// Advances through N steps ("Featurizing" i of N), waiting before each for the test to call
/// <see cref="Step"/>; then "Fitting", and succeeds with an accuracy. Fails when asked to.
/// </summary>
public sealed class SteppedHandler : IJobHandler
{
    public const JobKind HandledKind = JobKind.ModelTest;

    private readonly ConcurrentDictionary<string, Script> _scripts = new();

    public JobKind Kind => HandledKind;

    public Task Started(string jobId) => For(jobId).Started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

    public void Step(string jobId, int count = 1) => For(jobId).Steps.Release(count);

    public async Task RunAsync(Job job, IJobContext context, CancellationToken ct)
    {
        var input = System.Text.Json.JsonDocument.Parse(job.InputJson).RootElement;
        var steps = input.GetProperty("steps").GetInt32();
        var script = For(job.Id);
        if (input.GetProperty("fail").GetString() is { } failure)
        {
            script.Started.TrySetResult();
            throw new InvalidOperationException(failure);
        }

        for (var i = 0; i < steps; i++)
        {
            await context.ReportAsync(JobStage.Named("Featurizing"), i, steps);
            script.Started.TrySetResult(); // after the first report, which is saved (a new stage)
            await script.Steps.WaitAsync(ct);
        }

        await context.ReportAsync(JobStage.Named("Fitting"));
        context.SetResult(new { Accuracy = 0.875, MacroF1 = 0.8 });
    }

    private Script For(string jobId) => _scripts.GetOrAdd(jobId, _ => new Script());

    private sealed class Script
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SemaphoreSlim Steps { get; } = new(0);
    }
}
