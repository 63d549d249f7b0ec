using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;

namespace DiyMl.Domain.Tests.Datasets;

public sealed class DatasetRulesTests
{
    [Theory]
    [InlineData("../evil.png")]
    [InlineData("cats/../../evil.png")]
    [InlineData("..\\evil.png")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/win.ini")]
    [InlineData("c:\\boot.ini")]
    public void Zip_entry_names_that_climb_out_are_recognised(string name) => Assert.True(ArchivePaths.ClimbsOut(name));

    [Theory]
    [InlineData("cats/tom.png")]
    [InlineData("tom..png")]
    [InlineData("a/b/..c/d.png")]
    public void Ordinary_zip_entry_names_are_fine(string name) => Assert.False(ArchivePaths.ClimbsOut(name));

    [Theory]
    [InlineData("cats/tom.png", "cats")]
    [InlineData("photos/cats/tom.png", "cats")]
    [InlineData("tom.png", null)]
    public void The_folder_holding_a_zip_entry_names_its_class(string name, string? expected) =>
        Assert.Equal(expected, ArchivePaths.ParentFolder(name));

    [Fact]
    public void Display_names_lose_control_characters_and_stay_short()
    {
        Assert.Equal("evilname.png", ArchivePaths.DisplayName("evil\u0000\u001bname.png"));
        Assert.Equal(255, ArchivePaths.DisplayName(new string('x', 1000)).Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tab\tinside")]
    public void Bad_class_names_are_refused_with_the_field(string name)
    {
        var error = Assert.Throws<DomainValidationException>(() => ClassNames.Validate(name));
        Assert.True(error.Errors.ContainsKey("name"));
    }

    [Fact]
    public void Class_names_match_ignoring_case() =>
        Assert.Equal("Cat", ClassNames.FindExisting(["Dog", "Cat"], "cat"));

    [Fact]
    public void Near_duplicates_are_found_within_the_threshold_only()
    {
        var images = new List<(string, long)> { ("a", 0b0000), ("b", 0b0111), ("c", 0b1111_1111), ("d", 0b0001) };

        var pairs = NearDuplicates.Find(images, threshold: 3);

        Assert.Equal([("a", "b", 3), ("a", "d", 1), ("b", "d", 2)], pairs.Select(p => (p.FirstImageId, p.SecondImageId, p.Distance)));
    }

    [Fact]
    public void Near_duplicates_across_two_sets_ignore_pairs_inside_one_set()
    {
        var train = new List<(string, long)> { ("t1", 0L), ("t2", 0L) };
        var test = new List<(string, long)> { ("x1", 1L), ("x2", -1L) };

        var pairs = NearDuplicates.FindAcross(train, test, threshold: 5);

        Assert.Equal([("t1", "x1"), ("t2", "x1")], pairs.Select(p => (p.FirstImageId, p.SecondImageId)));
    }

    [Fact]
    public void Analysis_warns_about_imbalance_small_classes_and_a_single_class()
    {
        var dataset = new Dataset { Classes = ["many", "few"] };
        var images = Enumerable.Range(0, 60).Select(i => Image(i < 55 ? "many" : "few")).ToList();

        var analysis = DatasetAnalyzer.Analyze(dataset, images, []);

        Assert.Contains(analysis.Warnings, w => w.Contains("unbalanced", StringComparison.Ordinal) && w.Contains("11 to 1", StringComparison.Ordinal));
        Assert.Contains(analysis.Warnings, w => w.Contains("'few' has only 5 images", StringComparison.Ordinal));
        var single = DatasetAnalyzer.Analyze(new Dataset { Classes = ["only"] }, [Image("only")], []);
        Assert.Contains(single.Warnings, w => w.Contains("at least two classes", StringComparison.Ordinal));
    }

    [Fact]
    public void Empty_dataset_analysis_says_what_to_do()
    {
        var analysis = DatasetAnalyzer.Analyze(new Dataset(), [], []);

        Assert.Equal(0, analysis.ImageCount);
        Assert.Contains("Upload", analysis.Warnings.Single(), StringComparison.Ordinal);
    }

    private static ImageAsset Image(string? label) =>
        new() { Label = label, Width = 100, Height = 100, Format = ImageFormats.Png, SizeBytes = 1000 };
}
