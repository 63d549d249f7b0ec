namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// Who this process is among the instances sharing the storage, when it started, and whether it
/// is alone (then every job found Running at start-up that was claimed before this process
/// started was orphaned by its previous run).
/// </summary>
public sealed record JobInstance(string Id, bool SingleInstance, DateTime StartedAt);
