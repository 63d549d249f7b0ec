using System.Collections.Concurrent;
using DiyMl.Domain.Jobs;

namespace DiyMl.Infrastructure.Tests.Storage;

public abstract partial class StorageContract
{
    [Fact]
    public async Task Replace_with_the_version_read_saves_and_bumps_the_version()
    {
        var specimen = new SpecimenBuilder().Build();
        await Specimens.InsertAsync(specimen);

        specimen.Name = "renamed";
        Assert.True(await Specimens.ReplaceAsync(specimen));

        Assert.Equal(2, specimen.Version);
        var stored = await Specimens.GetAsync(specimen.Id);
        Assert.Equal(("renamed", 2L), (stored!.Name, stored.Version));
    }

    [Fact]
    public async Task Replace_with_a_stale_version_is_refused_and_the_newer_write_survives()
    {
        var original = new SpecimenBuilder().Build();
        await Specimens.InsertAsync(original);
        var mine = (await Specimens.GetAsync(original.Id))!;
        var theirs = (await Specimens.GetAsync(original.Id))!;

        theirs.Name = "theirs";
        Assert.True(await Specimens.ReplaceAsync(theirs));
        mine.Name = "mine";
        var accepted = await Specimens.ReplaceAsync(mine);

        Assert.False(accepted);
        Assert.Equal(1, mine.Version);
        Assert.Equal("theirs", (await Specimens.GetAsync(original.Id))!.Name);
    }

    [Fact]
    public async Task Replace_of_a_deleted_document_is_refused_and_does_not_recreate_it()
    {
        var specimen = new SpecimenBuilder().Build();
        await Specimens.InsertAsync(specimen);
        await Specimens.DeleteAsync(specimen.Id);

        Assert.False(await Specimens.ReplaceAsync(specimen));
        Assert.Null(await Specimens.GetAsync(specimen.Id));
    }

    [Fact]
    public async Task Eight_racing_workers_claim_every_queued_job_exactly_once()
    {
        const int jobCount = 200;
        var jobs = Engine.Collection<Job>("jobs");
        var queued = Enumerable.Range(0, jobCount)
            .Select(i => new Job { OwnerId = "owner", Kind = JobKind.Training, CreatedAt = DateTime.UnixEpoch.AddSeconds(i) })
            .ToList();
        await jobs.InsertManyAsync(queued);
        var claims = new ConcurrentBag<(string JobId, string Worker)>();

        async Task WorkAsync(string worker)
        {
            var random = new Random(worker.GetHashCode(StringComparison.Ordinal));
            while (true)
            {
                var candidates = await jobs.FindAsync(x => x.Status == JobStatus.Queued, new(x => x.CreatedAt, Limit: 16));
                if (candidates.Count == 0)
                {
                    return;
                }

                var job = candidates[random.Next(candidates.Count)];
                job.Status = JobStatus.Running;
                job.LeaseOwner = worker;
                if (await jobs.ReplaceAsync(job))
                {
                    claims.Add((job.Id, worker));
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(1, 8).Select(w => Task.Run(() => WorkAsync($"worker-{w}"))));

        Assert.Equal(jobCount, claims.Count);
        Assert.Equal(queued.Select(j => j.Id).Order(), claims.Select(c => c.JobId).Order());
        var stored = await jobs.FindAsync(_ => true);
        Assert.All(stored, j => Assert.Equal(JobStatus.Running, j.Status));
        var owners = claims.ToDictionary(c => c.JobId, c => c.Worker);
        Assert.All(stored, j => Assert.Equal(owners[j.Id], j.LeaseOwner));
    }

    [Fact]
    public async Task Utc_timestamps_come_back_as_utc_and_the_same_instant_to_the_millisecond()
    {
        var at = new DateTime(2026, 11, 26, 23, 59, 58, 987, DateTimeKind.Utc);
        var seen = new DateTime(1999, 12, 31, 23, 0, 0, 1, DateTimeKind.Utc);
        var specimen = new SpecimenBuilder().At(at).Build();
        specimen.SeenAt = seen;
        await Specimens.InsertAsync(specimen);

        var stored = (await Specimens.GetAsync(specimen.Id))!;
        var found = Assert.Single(await Specimens.FindAsync(x => x.At > at.AddMilliseconds(-1) && x.At < at.AddMilliseconds(1)));

        Assert.Equal(DateTimeKind.Utc, stored.At.Kind);
        Assert.Equal(at, stored.At);
        Assert.Equal(DateTimeKind.Utc, stored.SeenAt!.Value.Kind);
        Assert.Equal(seen, stored.SeenAt);
        Assert.Equal(specimen.Id, found.Id);
    }

    [Fact]
    public async Task A_job_round_trips_with_progress_enums_and_lease()
    {
        var jobs = Engine.Collection<Job>("jobs");
        var lease = new DateTime(2026, 1, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        var job = new Job
        {
            OwnerId = "u1", Kind = JobKind.BatchPrediction, Status = JobStatus.Failed, Error = "Bad file",
            LeaseExpiresAt = lease, Progress = { Stage = "Featurizing", Done = 3, Total = 9, Rate = 1.5, StageSeconds = { ["Loading"] = 0.25 } },
        };
        await jobs.InsertAsync(job);

        var stored = (await jobs.GetAsync(job.Id))!;

        Assert.Equal((JobKind.BatchPrediction, JobStatus.Failed, "Bad file"), (stored.Kind, stored.Status, stored.Error));
        Assert.Equal(("Featurizing", 3, 9, 1.5), (stored.Progress.Stage, stored.Progress.Done, stored.Progress.Total, stored.Progress.Rate));
        Assert.Equal(0.25, stored.Progress.StageSeconds["Loading"]);
        Assert.Equal(lease, stored.LeaseExpiresAt);
        Assert.True(stored.IsFinished);
        Assert.Single(await jobs.FindAsync(x => x.Status == JobStatus.Failed && x.OwnerId == "u1"));
    }
}
