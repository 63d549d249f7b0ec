namespace DiyMl.Domain.Common;

/// <summary>
/// A stored document. <see cref="Version"/> is the optimistic-concurrency stamp: a replace only
/// succeeds when the stored version still equals the one the caller read.
/// </summary>
public abstract class Entity
{
    public string Id { get; set; } = Ids.New();

    public long Version { get; set; }
}

/// <summary>A resource that belongs to one user; everyone else is told it does not exist.</summary>
public interface IOwned
{
    string OwnerId { get; }
}
