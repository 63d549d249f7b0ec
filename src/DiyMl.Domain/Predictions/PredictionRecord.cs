using DiyMl.Domain.Common;

namespace DiyMl.Domain.Predictions;

/// <summary>How a prediction reached the portal; reports split usage by it.</summary>
public enum PredictionChannel
{
    Browser,
    ApiKey,
    Bearer,
}

/// <summary>
/// One answered image. Owned by the model's owner (it is their usage report), whoever called.
/// The image itself is never kept: only what a usage report needs.
/// </summary>
public sealed class PredictionRecord : Entity, IOwned
{
    public string OwnerId { get; set; } = "";

    public string ModelId { get; set; } = "";

    public DateTime At { get; set; }

    /// <summary>The signed-in user for Browser and Bearer calls, the API key's id for ApiKey calls.</summary>
    public string CallerId { get; set; } = "";

    public PredictionChannel Channel { get; set; }

    public double LatencyMs { get; set; }

    public string Label { get; set; } = "";

    public double Confidence { get; set; }

    public bool Uncertain { get; set; }
}
