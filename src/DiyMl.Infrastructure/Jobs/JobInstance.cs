namespace DiyMl.Infrastructure.Jobs;

/// <summary>
/// Who this process is among the instances sharing the storage, and whether it is alone
/// (then every job found Running at start-up was orphaned by its previous run).
/// </summary>
public sealed record JobInstance(string Id, bool SingleInstance);
