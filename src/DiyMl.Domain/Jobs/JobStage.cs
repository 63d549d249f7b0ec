namespace DiyMl.Domain.Jobs;

/// <summary>
/// A named step of a job as people see it ("Featurizing 40 of 100"). The lifecycle's own stages
/// and the handlers' common ones are named here once; a trainer's own step names come through
/// <see cref="Named"/>. Stored and sent as the plain name.
/// </summary>
public readonly record struct JobStage
{
    private JobStage(string name) => Name = name;

    public string Name { get; }

    public static JobStage Queued { get; } = new("Queued");

    public static JobStage Starting { get; } = new("Starting");

    public static JobStage Preparing { get; } = new("Preparing");

    public static JobStage Predicting { get; } = new("Predicting");

    public static JobStage Saving { get; } = new("Saving");

    public static JobStage Cancelled { get; } = new("Cancelled");

    public static JobStage Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new JobStage(name);
    }

    public override string ToString() => Name;
}
