using System.ComponentModel.DataAnnotations;

namespace DiyMl.Infrastructure.Jobs;

/// <summary>Bound from the <c>Jobs</c> section. Times are short enough for a cancel to land within about a second.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>Jobs run at once by this instance; 0 makes a web-only instance that runs none.</summary>
    [Range(0, 64)]
    public int Workers { get; set; } = 1;

    /// <summary>Announcements the channel holds; beyond that a job waits in storage for the sweep.</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Identifies this instance as a lease owner; defaults to host name, process id and a random suffix.</summary>
    public string? InstanceId { get; set; }

    /// <summary>
    /// True when no other instance shares the storage (LiteDB): at start-up every job found
    /// Running was orphaned by this instance's previous run. Null means: decided by Storage:Provider.
    /// </summary>
    public bool? SingleInstance { get; set; }

    /// <summary>
    /// How long a claim holds without renewal. A worker that cannot renew stops its job at 80% of
    /// it; any instance re-queues a job whose lease has expired. Clocks of instances must agree
    /// to well within this.
    /// </summary>
    [Range(1, 3600)]
    public double LeaseSeconds { get; set; } = 30;

    [Range(0.05, 600)]
    public double LeaseRenewSeconds { get; set; } = 5;

    /// <summary>How often a running job's document is read for a cancel issued on another instance.</summary>
    [Range(0.01, 60)]
    public double CancelPollSeconds { get; set; } = 0.5;

    [Range(0.01, 600)]
    public double ProgressSaveSeconds { get; set; } = 2;

    /// <summary>How often queued jobs are re-announced in full and expired leases recovered.</summary>
    [Range(0.05, 3600)]
    public double SweepSeconds { get; set; } = 10;

    /// <summary>
    /// A worker instance looks for queued jobs (created on any instance) this often after it
    /// found one, backing off to <see cref="QueuedPollMaxSeconds"/> while none come: a job made on
    /// a web-only instance starts within about a second for one small query a second when idle.
    /// </summary>
    [Range(0.01, 60)]
    public double QueuedPollSeconds { get; set; } = 0.2;

    [Range(0.01, 600)]
    public double QueuedPollMaxSeconds { get; set; } = 0.8;

    /// <summary>How often saved progress of jobs running elsewhere is relayed to local listeners.</summary>
    [Range(0.05, 600)]
    public double RelaySeconds { get; set; } = 1;
}
