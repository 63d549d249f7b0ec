using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Infrastructure.Tests.Imaging;

namespace DiyMl.Infrastructure.Tests.Datasets;

public sealed class GalleryAndClassTests : IDisposable
{
    private const string User = "user-a";
    private readonly DatasetHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private async Task<(string DatasetId, List<string> Cats, List<string> Dogs)> SeedAsync()
    {
        var id = await _harness.NewDatasetAsync();
        var cats = await _harness.UploadAsync(id, "cat", ("c1.png", TestImages.Png(seed: 1)), ("c2.png", TestImages.Png(seed: 2)));
        var dogs = await _harness.UploadAsync(id, "dog", ("d1.jpg", TestImages.Jpeg(seed: 3)));
        return (id, cats.Files.Select(f => f.ImageId!).ToList(), dogs.Files.Select(f => f.ImageId!).ToList());
    }

    private async Task<Dictionary<string, long>> CountsAsync(string id)
    {
        var summary = await _harness.Datasets.GetSummaryAsync(User, id);
        var counts = summary.Classes.ToDictionary(c => c.Name, c => c.Count);
        counts["(unlabelled)"] = summary.UnlabelledCount;
        return counts;
    }

    [Fact]
    public async Task Gallery_filters_by_class_unlabelled_and_format()
    {
        var (id, _, _) = await SeedAsync();
        await _harness.UploadAsync(id, null, ("loose.png", TestImages.Png(seed: 9)));

        Assert.Equal(2, (await _harness.Gallery.ListAsync(User, id, new GalleryFilter(Label: "cat"), 1, 10)).Total);
        Assert.Equal(1, (await _harness.Gallery.ListAsync(User, id, new GalleryFilter(UnlabelledOnly: true), 1, 10)).Total);
        Assert.Equal("d1.jpg", (await _harness.Gallery.ListAsync(User, id, new GalleryFilter(Format: "jpeg"), 1, 10)).Items.Single().FileName);
        var secondPage = await _harness.Gallery.ListAsync(User, id, new GalleryFilter(), 2, 3);
        Assert.Equal((4L, 1), (secondPage.Total, secondPage.Items.Count));
    }

    [Fact]
    public async Task Relabel_move_and_delete_change_what_the_gallery_shows()
    {
        var (id, cats, dogs) = await SeedAsync();

        await _harness.Gallery.SetLabelAsync(User, id, [cats[0]], "bird");
        await _harness.Gallery.MoveAsync(User, id, [dogs[0]], "cat");
        await _harness.Gallery.DeleteAsync(User, id, [cats[1]]);

        var counts = await CountsAsync(id);
        Assert.Equal(1, counts["bird"]);
        Assert.Equal(1, counts["cat"]);
        Assert.Equal(0, counts["dog"]);
        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Gallery.GetAsync(User, id, cats[1]));
    }

    [Fact]
    public async Task Move_to_a_class_that_does_not_exist_is_refused()
    {
        var (id, cats, _) = await SeedAsync();

        var error = await Assert.ThrowsAsync<DomainValidationException>(() => _harness.Gallery.MoveAsync(User, id, [cats[0]], "unicorn"));

        Assert.Contains("unicorn", error.Message);
    }

    [Fact]
    public async Task Bulk_change_with_one_unknown_id_changes_nothing()
    {
        var (id, cats, _) = await SeedAsync();

        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Gallery.DeleteAsync(User, id, [cats[0], Ids.New()]));

        Assert.Equal(2, (await CountsAsync(id))["cat"]);
    }

    [Fact]
    public async Task Renaming_a_class_relabels_its_images()
    {
        var (id, _, _) = await SeedAsync();

        await _harness.Classes.RenameAsync(User, id, "cat", "kitten");

        var counts = await CountsAsync(id);
        Assert.Equal(2, counts["kitten"]);
        Assert.False(counts.ContainsKey("cat"));
    }

    [Fact]
    public async Task Renaming_onto_an_existing_class_asks_for_a_merge()
    {
        var (id, _, _) = await SeedAsync();

        var error = await Assert.ThrowsAsync<ConflictException>(() => _harness.Classes.RenameAsync(User, id, "cat", "Dog"));

        Assert.Contains("merge", error.Message);
    }

    [Fact]
    public async Task Merging_classes_moves_all_images_into_the_target()
    {
        var (id, _, _) = await SeedAsync();

        await _harness.Classes.MergeAsync(User, id, ["cat", "dog"], "pet");

        var counts = await CountsAsync(id);
        Assert.Equal(3, counts["pet"]);
        Assert.Equal(["pet"], (await _harness.Datasets.GetAsync(User, id)).Classes);
    }

    [Fact]
    public async Task Deleting_a_class_can_unlabel_its_images()
    {
        var (id, _, _) = await SeedAsync();

        await _harness.Classes.DeleteAsync(User, id, "cat", ClassImageDisposal.Unlabel);

        var counts = await CountsAsync(id);
        Assert.Equal(2, counts["(unlabelled)"]);
        Assert.Equal(["dog"], (await _harness.Datasets.GetAsync(User, id)).Classes);
    }

    [Fact]
    public async Task Deleting_a_class_can_delete_its_images_and_their_blobs()
    {
        var (id, _, _) = await SeedAsync();

        await _harness.Classes.DeleteAsync(User, id, "cat", ClassImageDisposal.Delete);

        Assert.Equal(1, (await _harness.Datasets.GetSummaryAsync(User, id)).ImageCount);
        Assert.Equal(6, _harness.BlobCount); // kept through the grace period…
        await _harness.SweepAfterGraceAsync();
        Assert.Equal(2, _harness.BlobCount); // …then only the dog's picture and thumbnail stay
    }

    [Fact]
    public async Task Deleting_a_dataset_keeps_blobs_another_dataset_still_uses()
    {
        var shared = TestImages.Png(seed: 42);
        var first = await _harness.NewDatasetAsync(name: "One");
        var second = await _harness.NewDatasetAsync(name: "Two");
        await _harness.UploadAsync(first, null, ("a.png", shared), ("b.png", TestImages.Png(seed: 43)));
        await _harness.UploadAsync(second, null, ("a.png", shared));

        await _harness.Datasets.DeleteAsync(User, first);
        await _harness.SweepAfterGraceAsync();

        Assert.Equal(2, _harness.BlobCount);
        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Datasets.GetAsync(User, first));
        await using var content = (await _harness.Gallery.OpenContentAsync(User, second, (await _harness.Gallery.ListAsync(User, second, new GalleryFilter(), 1, 1)).Items[0].Id)).Content;
        Assert.Equal(shared.Length, content.Length);
    }

    [Fact]
    public async Task Another_user_sees_no_dataset_image_or_thumbnail()
    {
        var (id, cats, _) = await SeedAsync();
        const string other = "user-b";

        Assert.Empty((await _harness.Datasets.ListAsync(other)).Items);
        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Datasets.GetAsync(other, id));
        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Gallery.ListAsync(other, id, new GalleryFilter(), 1, 10));
        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Gallery.OpenThumbnailAsync(other, id, cats[0]));
        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Gallery.OpenContentAsync(other, id, cats[0]));
        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Gallery.DeleteAsync(other, id, [cats[0]]));
        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Classes.RenameAsync(other, id, "cat", "x"));
        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Analysis.AnalyzeAsync(other, id));
        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Datasets.DeleteAsync(other, id));
        Assert.Equal(3, (await _harness.Datasets.GetSummaryAsync(User, id)).ImageCount);
    }

    [Fact]
    public async Task Analysis_figures_on_a_known_small_dataset()
    {
        var id = await _harness.NewDatasetAsync();
        var cats = Enumerable.Range(1, 12).Select(i => ($"c{i}.png", TestImages.Png(64, 48, seed: i))).ToArray();
        await _harness.UploadAsync(id, "cat", cats);
        await _harness.UploadAsync(id, "dog", ("d1.jpg", TestImages.Jpeg(200, 100, seed: 100)), ("tiny.png", TestImages.Png(16, 16, seed: 101)));
        await _harness.UploadAsync(id, "dog", ("same-as-c1.jpg", TestImages.Jpeg(64, 48, seed: 1)));
        await _harness.UploadAsync(id, null, ("loose.gif", TestImages.Gif()));

        var analysis = await _harness.Analysis.AnalyzeAsync(User, id);

        Assert.Equal(16, analysis.ImageCount);
        Assert.Equal([("cat", 12L), ("dog", 3L)], analysis.Classes.Select(c => (c.Name, c.Count)));
        Assert.Equal(1, analysis.UnlabelledCount);
        Assert.Equal((1, 200), (analysis.MinWidth, analysis.MaxWidth));
        Assert.Equal([("Png", 13L), ("Jpeg", 2L), ("Gif", 1L)], analysis.Formats.Select(f => (f.Format, f.Count)));
        Assert.Equal(13, analysis.Widths.Single(b => b.Label == "64–127 px").Count);
        Assert.Equal(13, analysis.AspectRatios.Single(b => b.Label == "Landscape").Count);
        Assert.Equal(1, analysis.AspectRatios.Single(b => b.Label == "Wide (2:1 or more)").Count);
        Assert.Contains(analysis.NearDuplicates, p => p.DifferentClasses && new[] { p.FirstLabel, p.SecondLabel }.Order().SequenceEqual(["cat", "dog"]));
        Assert.Contains(analysis.Warnings, w => w.Contains("'dog' has only 3 images", StringComparison.Ordinal));
        Assert.Contains(analysis.Warnings, w => w.Contains("smaller than 32 px", StringComparison.Ordinal));
        Assert.Contains(analysis.Warnings, w => w.Contains("1 image has no class", StringComparison.Ordinal));
        Assert.Contains(analysis.Warnings, w => w.Contains("different classes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Analysis_is_cached_until_the_dataset_changes()
    {
        var (id, cats, _) = await SeedAsync();

        var first = await _harness.Analysis.AnalyzeAsync(User, id);
        var again = await _harness.Analysis.AnalyzeAsync(User, id);
        await _harness.Gallery.SetLabelAsync(User, id, [cats[0]], "dog");
        var after = await _harness.Analysis.AnalyzeAsync(User, id);

        Assert.Same(first, again);
        Assert.NotSame(first, after);
        Assert.Equal(2, after.Classes.Single(c => c.Name == "dog").Count);
    }
}
