namespace DiyMl.Domain.Common;

/// <summary>The multi-step edits that must finish once begun, even across a crash.</summary>
public enum OperationKind
{
    /// <summary>Fold classes of a dataset into another one (merge, rename) or drop them (delete).</summary>
    ClassEdit,
    DatasetDelete,
    ModelDelete,
}

/// <summary>
/// The intent of a multi-step edit, saved before its first step and removed after its last. Every
/// step is idempotent, so whoever finds the record (the same call, or start-up after a kill -9)
/// can run the whole operation again from the top and reach the same end.
/// </summary>
public sealed class PendingOperation : Entity
{
    public OperationKind Kind { get; set; }

    public string OwnerId { get; set; } = "";

    /// <summary>The dataset or model the operation works on.</summary>
    public string TargetId { get; set; } = "";

    /// <summary>For a class edit: the classes that go away.</summary>
    public List<string> Sources { get; set; } = [];

    /// <summary>For a class edit: where their images go; null unlabels them.</summary>
    public string? Target { get; set; }

    /// <summary>For a class edit: the images of the sources are deleted instead of relabelled.</summary>
    public bool DeleteImages { get; set; }

    /// <summary>For a model delete: the model's artifact (kept for listeners that need it).</summary>
    public string? ArtifactSha256 { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>Persistence of <see cref="PendingOperation"/> records.</summary>
public interface IOperationStore
{
    Task InsertAsync(PendingOperation operation, CancellationToken ct = default);

    Task DeleteAsync(string id, CancellationToken ct = default);

    /// <summary>Operations begun before <paramref name="before"/>, oldest first.</summary>
    Task<IReadOnlyList<PendingOperation>> ListAsync(DateTime before, CancellationToken ct = default);
}

/// <summary>Runs one kind of operation; must be safe to run again after any partial run.</summary>
public interface IOperationHandler
{
    OperationKind Kind { get; }

    Task RunAsync(PendingOperation operation, CancellationToken ct);
}
