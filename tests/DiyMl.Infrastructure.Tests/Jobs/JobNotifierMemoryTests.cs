using DiyMl.Domain.Jobs;
using DiyMl.Infrastructure.Jobs;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiyMl.Infrastructure.Tests.Jobs;

/// <summary>The notifier remembers each job's latest state for the relay, but not forever.</summary>
public sealed class JobNotifierMemoryTests
{
    [Fact]
    public void A_finished_jobs_entry_is_forgotten_a_while_after_it_ended_while_a_running_one_stays()
    {
        var clock = new ManualClock();
        var notifier = new InMemoryJobNotifier(NullLogger<InMemoryJobNotifier>.Instance, clock);
        notifier.Publish(Snapshot("finished", JobStatus.Succeeded));
        notifier.Publish(Snapshot("running", JobStatus.Running));

        clock.Advance(InMemoryJobNotifier.FinishedKeep + TimeSpan.FromSeconds(1));
        for (var i = 0; i < 300; i++)
        {
            notifier.Publish(Snapshot("running", JobStatus.Running));
        }

        Assert.Null(notifier.LastPublished("finished"));
        Assert.NotNull(notifier.LastPublished("running"));
    }

    [Fact]
    public void However_many_jobs_are_published_the_notifier_remembers_at_most_its_capacity()
    {
        var notifier = new InMemoryJobNotifier(NullLogger<InMemoryJobNotifier>.Instance, new ManualClock());

        for (var i = 0; i < InMemoryJobNotifier.Capacity * 2; i++)
        {
            notifier.Publish(Snapshot($"job-{i}", i % 2 == 0 ? JobStatus.Running : JobStatus.Failed));
        }

        Assert.InRange(notifier.RememberedCount, 1, InMemoryJobNotifier.Capacity);
        Assert.NotNull(notifier.LastPublished($"job-{(InMemoryJobNotifier.Capacity * 2) - 2}"));
    }

    private static JobSnapshot Snapshot(string id, JobStatus status) => new(
        id, "alice", JobKind.Training, status, new ProgressSnapshot("Fitting", 0, 0, null, null, new Dictionary<string, double>()),
        null, null, null, null, false, DateTime.UnixEpoch, null, null, DateTime.UnixEpoch);

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(_ticks);

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
