using DiyMl.Domain.Training;

namespace DiyMl.Domain.Predictions;

/// <summary>
/// Who asks for a prediction and how they signed in. Browser and Bearer callers are people using
/// their own models; an ApiKey caller is a script, and may use published models only.
/// </summary>
public sealed record PredictionCaller(string UserId, PredictionChannel Channel, string? ApiKeyId = null)
{
    /// <summary>What the usage record names as the caller: the key for scripts, the person otherwise.</summary>
    public string CallerId => Channel == PredictionChannel.ApiKey && ApiKeyId is not null ? ApiKeyId : UserId;
}

/// <summary>
/// One uploaded file to answer; the stream is read (up to the size limit) and not kept. A null
/// stream stands for a file already known to be over the limit (the browser stopped reading it).
/// </summary>
public sealed record PredictionFile(string FileName, Stream? Content);

/// <summary>
/// The answer for one file: the best label, its confidence, whether it is below the model's
/// uncertainty threshold, and the top-k scores; or, for a file that is not a usable image, why.
/// </summary>
public sealed record ImagePrediction(
    string FileName,
    string? Label,
    double? Confidence,
    bool? Uncertain,
    IReadOnlyList<ScoredLabel>? Top,
    string? Error,
    string? PredictionId = null)
{
    public static ImagePrediction Failed(string fileName, string error) => new(fileName, null, null, null, null, error);
}
