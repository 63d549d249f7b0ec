namespace DiyMl.Domain.Common;

/// <summary>Tells whether the configured storage engine answers; used by /health.</summary>
public interface IStorageHealth
{
    string Engine { get; }

    Task<(bool Healthy, string? Reason)> CheckAsync(CancellationToken ct = default);
}
