using DiyMl.Domain.Training;

namespace DiyMl.Domain.Tests.Training;

public sealed class DatasetSplitTests
{
    private static List<LabelledImage> Images(params (string Label, int Count)[] classes) =>
        classes.SelectMany(c => Enumerable.Range(0, c.Count)
            .Select(i => new LabelledImage($"{c.Label}-{i}", $"{c.Label}{i:D4}".PadRight(64, '0'), c.Label)))
            .ToList();

    [Fact]
    public void Split_is_stratified_per_class_with_the_requested_share()
    {
        var images = Images(("cat", 50), ("dog", 20));

        var (train, validation) = DatasetSplit.Split(images, 0.2, seed: 7);

        Assert.Equal(10, validation.Count(i => i.Label == "cat"));
        Assert.Equal(4, validation.Count(i => i.Label == "dog"));
        Assert.Equal(70, train.Count + validation.Count);
        Assert.Empty(train.Select(i => i.ImageId).Intersect(validation.Select(i => i.ImageId)));
    }

    [Fact]
    public void Same_seed_and_images_give_the_same_split_whatever_the_input_order()
    {
        var images = Images(("a", 30), ("b", 30));
        var shuffled = images.AsEnumerable().Reverse().ToList();

        var first = DatasetSplit.Split(images, 0.25, seed: 42);
        var second = DatasetSplit.Split(shuffled, 0.25, seed: 42);

        Assert.Equal(first.Validation.Select(i => i.ImageId).Order(), second.Validation.Select(i => i.ImageId).Order());
    }

    [Fact]
    public void Another_seed_gives_another_split()
    {
        var images = Images(("a", 40), ("b", 40));

        var first = DatasetSplit.Split(images, 0.25, seed: 1);
        var second = DatasetSplit.Split(images, 0.25, seed: 2);

        Assert.NotEqual(first.Validation.Select(i => i.ImageId).Order(), second.Validation.Select(i => i.ImageId).Order());
    }

    [Fact]
    public void Tiny_classes_keep_an_image_on_each_side()
    {
        var (train, validation) = DatasetSplit.Split(Images(("rare", 2), ("common", 10)), 0.05, seed: 3);

        Assert.Single(validation, i => i.Label == "rare");
        Assert.Single(train, i => i.Label == "rare");
        Assert.Single(validation, i => i.Label == "common");
    }

    [Fact]
    public void Manifest_hash_depends_on_content_and_labels_not_on_order()
    {
        var images = Images(("a", 5), ("b", 5));

        var hash = DatasetSplit.ManifestHash(images);

        Assert.Equal(hash, DatasetSplit.ManifestHash(images.AsEnumerable().Reverse()));
        var relabelled = images.Select((i, n) => n == 0 ? i with { Label = "b" } : i);
        Assert.NotEqual(hash, DatasetSplit.ManifestHash(relabelled));
    }
}
