namespace DiyMl.Domain.Common;

/// <summary>One page of a list plus the total, the shape every list endpoint answers with.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total);
