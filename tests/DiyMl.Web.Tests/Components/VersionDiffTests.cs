using DiyMl.Domain.Models;
using DiyMl.Web.Components.Pages.Models;

namespace DiyMl.Web.Tests.Components;

public sealed class VersionDiffTests
{
    private static TrainedModel Version(string dataset, string name, params string[] images) =>
        new() { DatasetId = dataset, Name = name, TrainImageIds = [.. images.Skip(1)], ValidationImageIds = [images[0]] };

    [Fact]
    public void Versions_of_one_project_count_the_pictures_added_and_removed()
    {
        Assert.Equal("2 added, 1 removed", VersionDiff.Pictures(Version("d", "v1", "a", "b", "c"), Version("d", "v2", "b", "c", "d", "e")));
        Assert.Equal("the same pictures", VersionDiff.Pictures(Version("d", "v1", "a", "b"), Version("d", "v2", "b", "a")));
    }

    [Fact]
    public void Versions_of_two_projects_say_so_instead_of_every_picture_added_and_removed()
    {
        Assert.Equal("from another project", VersionDiff.Pictures(Version("d1", "v1", "a", "b"), Version("d2", "v2", "c", "d")));
    }

    [Fact]
    public void Two_versions_with_one_name_are_told_apart_by_age()
    {
        Assert.Equal(("Shapes (older)", "shapes (newer)"), VersionDiff.Names(Version("d", "Shapes", "a"), Version("d", "shapes", "b")));
        Assert.Equal(("Shapes", "Shapes 2"), VersionDiff.Names(Version("d", "Shapes", "a"), Version("d", "Shapes 2", "b")));
    }
}
