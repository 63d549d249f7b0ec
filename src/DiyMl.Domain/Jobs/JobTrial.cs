namespace DiyMl.Domain.Jobs;

/// <summary>
/// One setting a job tried and how it scored (e.g. a training's L2 candidate and its
/// cross-validated accuracy), kept in the progress for the live chart. Setters: it is stored.
/// </summary>
public sealed class JobTrial
{
    public string Setting { get; set; } = "";

    public double Value { get; set; }

    /// <summary>0..1, higher is better (accuracy).</summary>
    public double Score { get; set; }
}

/// <summary>
/// What a handler may add to a progress report: its own rate and time left (it knows stages the
/// per-stage figures cannot see; null means "not known honestly yet" and hides them) and a trial.
/// </summary>
public sealed record ProgressDetail(double? Rate, double? EtaSeconds, JobTrial? Trial = null);
