namespace DiyMl.Domain.Training;

/// <summary>
/// One point of a learning curve: the accuracy on the validation split when the model learned
/// from only <see cref="Images"/> of the training pictures. A class with setters: it is stored on the model.
/// </summary>
public sealed class LearningCurvePoint
{
    public int Images { get; set; }

    public double Accuracy { get; set; }
}

/// <summary>What a learning curve says about adding pictures.</summary>
public enum LearningCurveVerdict
{
    /// <summary>Too few points to say anything (models trained before curves were measured).</summary>
    Unknown,
    MorePicturesWouldHelp,
    MorePicturesUnlikelyToHelp,
}

public static class LearningCurves
{
    /// <summary>
    /// The gain over the last step (75 % → 100 % of the training pictures) at or above which the
    /// curve counts as still rising. Judged on the last step only, because that is where the next
    /// pictures would land: a curve that climbed early and then went flat says the extra quarter
    /// bought nothing. Two points on a quarter more pictures: small validation splits move in
    /// whole pictures, and at 2 points per quarter another batch of the same size would still show.
    /// </summary>
    public const double RisingGain = 0.02;

    public static LearningCurveVerdict Verdict(IReadOnlyList<LearningCurvePoint> curve)
    {
        if (curve.Count < 2)
        {
            return LearningCurveVerdict.Unknown;
        }

        var (before, last) = (curve[^2], curve[^1]);
        // Already right on every picture it was checked on: nothing left to gain from more of the same.
        if (last.Accuracy >= 1 - 1e-9)
        {
            return LearningCurveVerdict.MorePicturesUnlikelyToHelp;
        }

        return last.Accuracy - before.Accuracy >= RisingGain - 1e-9
            ? LearningCurveVerdict.MorePicturesWouldHelp
            : LearningCurveVerdict.MorePicturesUnlikelyToHelp;
    }

    /// <summary>The plain sentence a person reads under the curve, or null when there is no curve.</summary>
    public static string? Sentence(IReadOnlyList<LearningCurvePoint> curve) => Verdict(curve) switch
    {
        LearningCurveVerdict.MorePicturesWouldHelp => "More pictures would likely help: it was still getting better when it saw all of them.",
        LearningCurveVerdict.MorePicturesUnlikelyToHelp when curve[^1].Accuracy >= 1 - 1e-9 =>
            "More pictures of the same kind are unlikely to help: it already got every picture it was checked on right.",
        LearningCurveVerdict.MorePicturesUnlikelyToHelp => "More pictures of the same kind are unlikely to help: it stopped getting better before it saw all of them.",
        _ => null,
    };
}
