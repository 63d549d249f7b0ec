using DiyMl.Domain.Training;

namespace DiyMl.Domain.Tests.Training;

public sealed class LearningCurveRuleTests
{
    private static List<LearningCurvePoint> Curve(params double[] accuracies) =>
        [.. accuracies.Select((a, i) => new LearningCurvePoint { Images = 10 * (i + 1), Accuracy = a })];

    [Fact]
    public void A_curve_still_rising_over_its_last_step_says_more_pictures_would_likely_help()
    {
        var curve = Curve(0.55, 0.66, 0.74, 0.78);

        Assert.Equal(LearningCurveVerdict.MorePicturesWouldHelp, LearningCurves.Verdict(curve));
        Assert.StartsWith("More pictures would likely help", LearningCurves.Sentence(curve), StringComparison.Ordinal);
    }

    [Fact]
    public void A_curve_that_went_flat_before_the_end_says_more_of_the_same_is_unlikely_to_help()
    {
        // Climbed early, then the last quarter of the pictures bought one point: flat where it counts.
        var curve = Curve(0.6, 0.8, 0.85, 0.86);

        Assert.Equal(LearningCurveVerdict.MorePicturesUnlikelyToHelp, LearningCurves.Verdict(curve));
        Assert.StartsWith("More pictures of the same kind are unlikely to help", LearningCurves.Sentence(curve), StringComparison.Ordinal);
    }

    [Fact]
    public void A_curve_that_falls_at_the_end_is_not_read_as_rising()
    {
        Assert.Equal(LearningCurveVerdict.MorePicturesUnlikelyToHelp, LearningCurves.Verdict(Curve(0.5, 0.7, 0.9, 0.8)));
    }

    [Fact]
    public void All_right_at_every_share_is_flat_and_says_why()
    {
        var curve = Curve(1, 1, 1, 1);

        Assert.Equal(LearningCurveVerdict.MorePicturesUnlikelyToHelp, LearningCurves.Verdict(curve));
        Assert.Contains("already got every picture", LearningCurves.Sentence(curve), StringComparison.Ordinal);
    }

    [Fact]
    public void The_threshold_is_two_points_over_the_last_step()
    {
        Assert.Equal(LearningCurveVerdict.MorePicturesWouldHelp, LearningCurves.Verdict(Curve(0.5, 0.6, 0.70, 0.72)));
        Assert.Equal(LearningCurveVerdict.MorePicturesUnlikelyToHelp, LearningCurves.Verdict(Curve(0.5, 0.6, 0.70, 0.715)));
    }

    [Fact]
    public void A_model_from_before_learning_curves_gets_no_sentence()
    {
        Assert.Equal(LearningCurveVerdict.Unknown, LearningCurves.Verdict([]));
        Assert.Null(LearningCurves.Sentence([]));
    }
}
