using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;

namespace DiyMl.Infrastructure.Tests.Jobs;

public sealed class JobServiceTests
{
    [Fact]
    public async Task Another_users_job_does_not_exist_for_them()
    {
        using var storage = new TempLiteDb();
        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(), o => o.Workers = 0);
        var job = await host.Jobs.CreateAsync("alice", new JobRequest(JobKind.Training));

        await Assert.ThrowsAsync<NotFoundException>(() => host.Jobs.GetAsync("bob", job.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => host.Jobs.CancelAsync("bob", job.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => host.Jobs.GetAsync("alice", "../../etc/passwd"));
        Assert.Equal(JobStatus.Queued, (await host.Jobs.GetAsync("alice", job.Id)).Status);
    }

    [Fact]
    public async Task The_list_shows_only_my_jobs_newest_first_filtered_and_paged()
    {
        using var storage = new TempLiteDb();
        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(), o => o.Workers = 0);
        var mine = new List<Job>();
        for (var i = 0; i < 5; i++)
        {
            mine.Add(await host.Jobs.CreateAsync("alice", new JobRequest(i % 2 == 0 ? JobKind.Training : JobKind.ModelTest)));
            await Task.Delay(5, TestContext.Current.CancellationToken); // distinct creation times to order by
        }

        await host.Jobs.CreateAsync("bob", new JobRequest(JobKind.Training));
        await host.Jobs.CancelAsync("alice", mine[0].Id);

        var all = await host.Jobs.ListAsync("alice", new JobQuery());
        var trainings = await host.Jobs.ListAsync("alice", new JobQuery(Kind: JobKind.Training));
        var cancelled = await host.Jobs.ListAsync("alice", new JobQuery(Status: JobStatus.Cancelled));
        var queuedTests = await host.Jobs.ListAsync("alice", new JobQuery(JobKind.ModelTest, JobStatus.Queued));
        var secondPage = await host.Jobs.ListAsync("alice", new JobQuery(Page: 2, PageSize: 2));

        Assert.Equal(5, all.Total);
        Assert.Equal(mine.Select(j => j.Id).Reverse(), all.Items.Select(j => j.Id));
        Assert.Equal(3, trainings.Total);
        Assert.Equal([mine[0].Id], cancelled.Items.Select(j => j.Id));
        Assert.Equal(2, queuedTests.Total);
        Assert.Equal(5, secondPage.Total);
        Assert.Equal([mine[2].Id, mine[1].Id], secondPage.Items.Select(j => j.Id));
    }

    [Theory]
    [InlineData(0, 20, "page")]
    [InlineData(1, 0, "pageSize")]
    [InlineData(1, 101, "pageSize")]
    public async Task Paging_out_of_range_is_refused_naming_the_field(int page, int pageSize, string field)
    {
        using var storage = new TempLiteDb();
        await using var host = await JobTestHost.StartAsync(storage.Engine, new ScriptedHandler(), o => o.Workers = 0);

        var error = await Assert.ThrowsAsync<DomainValidationException>(() => host.Jobs.ListAsync("alice", new JobQuery(Page: page, PageSize: pageSize)));

        Assert.Contains(field, error.Errors.Keys);
    }
}
