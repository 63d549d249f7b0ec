using DiyMl.Domain.Training;
using DiyMl.Web.Components.Shared;

namespace DiyMl.Web.Tests.Components;

public sealed class PlainWordsTests
{
    private static readonly Evaluation FruitAndPlant = Evaluation.FromConfusion(
        ["fruit", "plant", "rock"],
        [[4, 2, 0], [1, 9, 0], [0, 0, 15]]);

    [Theory]
    [InlineData(1, "1 image")]
    [InlineData(2, "2 images")]
    [InlineData(0, "0 images")]
    [InlineData(1500, "1,500 images")]
    public void Counts_agree_with_their_noun(long count, string expected) => Assert.Equal(expected, Words.Count(count, "image"));

    [Fact]
    public void Bars_take_tenths_of_a_percent_so_a_tiny_calibrated_score_is_a_valid_aria_value()
    {
        Assert.Equal(0, Words.Bar(1.5730733780491932E-91));
        Assert.Equal(87.1, Words.Bar(0.87149));
        Assert.Equal(100, Words.Bar(1.0000001));
    }

    [Fact]
    public void Irregular_plurals_are_given_once() => Assert.Equal("2 classes", Words.Count(2, "class", "classes"));

    [Fact]
    public void The_overall_result_is_one_sentence_with_counts_and_a_whole_percentage() =>
        Assert.Equal("It got 28 of 31 pictures it had not seen right (90 %).", Words.Overall(FruitAndPlant));

    [Fact]
    public void A_class_says_how_many_were_right_and_what_it_was_mistaken_for() =>
        Assert.Equal("fruit: 4 of 6 right — mistaken for plant twice", Words.PerClass(FruitAndPlant, 0));

    [Fact]
    public void A_class_without_mistakes_says_only_how_many_were_right() =>
        Assert.Equal("rock: 15 of 15 right", Words.PerClass(FruitAndPlant, 2));

    [Theory]
    [InlineData(0.93, "very sure")]
    [InlineData(0.62, "fairly sure")]
    [InlineData(0.41, "unsure")]
    public void Confidence_is_said_in_words(double confidence, string expected) => Assert.Equal(expected, Words.Sureness(confidence));

    [Fact]
    public void Model_types_are_named_by_what_they_are_for_while_ids_stay()
    {
        Assert.Equal("Photos and drawings (recommended)", Words.ModelType(ModelCatalog.ResNetLbfgs));
        Assert.Equal("Small simple pictures, fastest", Words.ModelType(ModelCatalog.Pixels));
        Assert.Equal("not-a-type", Words.ModelType("not-a-type"));
    }

    [Fact]
    public void Settings_read_as_choices_and_percentages()
    {
        var type = ModelCatalog.Find(ModelCatalog.ResNetLbfgs)!;
        Assert.Equal("20 %", Words.Setting(type.Parameters.Single(p => p.Name == ModelCatalog.ValidationSplit), 0.2));
        Assert.Equal("chosen by DIY ML", Words.Setting(type.Parameters.Single(p => p.Name == "l2"), 0));
        Assert.Equal("off", Words.Setting(type.Parameters.Single(p => p.Name == ModelCatalog.AugmentFlip), 0));
    }

    [Fact]
    public void The_first_moments_of_featurizing_are_the_network_loading()
    {
        Assert.Equal("Loading the image network…", Words.Stage("Featurizing", 0));
        Assert.Equal("Looking at your pictures", Words.Stage("Featurizing", 12));
        Assert.Equal("Learning", Words.Stage("fitting"));
    }

    [Fact]
    public void Recent_times_are_relative_and_older_ones_in_the_viewers_zone()
    {
        var now = new DateTime(2026, 12, 1, 22, 0, 0, DateTimeKind.Utc);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        Assert.Equal("just now", ViewerClock.Format(now.AddSeconds(-20), now, berlin));
        Assert.Equal("5 min ago", ViewerClock.Format(now.AddMinutes(-5), now, berlin));
        Assert.Equal("1 hour ago", ViewerClock.Format(now.AddMinutes(-61), now, berlin));
        Assert.Equal("28 Nov 2026, 23:30", ViewerClock.Format(new DateTime(2026, 11, 28, 22, 30, 0, DateTimeKind.Utc), now, berlin));
        Assert.Equal("28 Nov 2026, 22:30 UTC", ViewerClock.Format(new DateTime(2026, 11, 28, 22, 30, 0, DateTimeKind.Utc), now, null));
    }
}
