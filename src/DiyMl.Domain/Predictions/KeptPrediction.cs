using DiyMl.Domain.Common;

namespace DiyMl.Domain.Predictions;

/// <summary>
/// A picture a model was asked about, kept (only while the model's "keep pictures" switch is on)
/// so its owner can see what the model got wrong and file it into a dataset. It expires after
/// <see cref="PredictionLogOptions.KeepDays"/> and counts against the owner's storage until then.
/// </summary>
public sealed class KeptPrediction : Entity, IOwned
{
    public string OwnerId { get; set; } = "";

    public string ModelId { get; set; } = "";

    /// <summary>The picture's blob; thumbnails are not kept, the picture itself is shown scaled.</summary>
    public string Sha256 { get; set; } = "";

    public long Bytes { get; set; }

    /// <summary>One of <see cref="Datasets.ImageFormats"/>, for serving the picture.</summary>
    public string Format { get; set; } = "";

    public string FileName { get; set; } = "";

    public string Label { get; set; } = "";

    public double Confidence { get; set; }

    public bool Uncertain { get; set; }

    public PredictionChannel Channel { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }
}

/// <summary>How a prediction log page is sorted.</summary>
public enum PredictionLogOrder
{
    Newest,
    LeastSure,
}

/// <summary>Settings of the prediction log (<c>Predictions:KeepDays</c>).</summary>
public sealed class PredictionLogOptions
{
    public const string Section = "Predictions";

    /// <summary>How long a kept picture stays before it is removed.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3650)]
    public int KeepDays { get; set; } = 30;
}

public interface IKeptPredictionStore
{
    Task InsertAsync(KeptPrediction prediction, CancellationToken ct = default);

    Task<KeptPrediction?> GetAsync(string id, CancellationToken ct = default);

    /// <summary>One model's kept pictures that have not expired at <paramref name="now"/>.</summary>
    Task<Page<KeptPrediction>> QueryAsync(string modelId, bool? uncertain, PredictionLogOrder order, DateTime now, int skip, int take, CancellationToken ct = default);

    /// <summary>Bytes of kept pictures the owner has (the quota counts them).</summary>
    Task<long> SumBytesByOwnerAsync(string ownerId, CancellationToken ct = default);

    Task<long> DeleteExpiredAsync(DateTime now, CancellationToken ct = default);

    Task DeleteForModelAsync(string modelId, CancellationToken ct = default);
}
