namespace DiyMl.Domain.Common;

/// <summary>
/// One kind of document that uses blobs (images, models, jobs…). The sweeper asks every source
/// for the blobs it uses and deletes only blobs no source names and nobody has written for the
/// grace period. Deleting a document never deletes a blob itself: that is what makes "delete an
/// image here while the same bytes are uploaded there" safe.
/// </summary>
public interface IBlobReferenceSource
{
    /// <summary>A short name for logs, e.g. "images".</summary>
    string Name { get; }

    /// <summary>Adds the SHA-256 of every blob this source uses right now.</summary>
    Task AddReferencesAsync(ISet<string> referenced, CancellationToken ct);
}
