namespace DiyMl.Domain.Datasets;

/// <summary>Pure computation of the analysis figures and plain-language warnings.</summary>
public static class DatasetAnalyzer
{
    public const int FewImagesPerClass = 10;
    public const double ImbalanceRatio = 5.0;
    public const int TinySide = 32;

    private static readonly (long Limit, string Label)[] PixelBuckets =
    [
        (32, "< 32 px"), (64, "32–63 px"), (128, "64–127 px"), (256, "128–255 px"), (512, "256–511 px"),
        (1024, "512–1023 px"), (2048, "1024–2047 px"), (long.MaxValue, "≥ 2048 px"),
    ];

    private static readonly (long Limit, string Label)[] SizeBuckets =
    [
        (10 * 1024, "< 10 KB"), (100 * 1024, "10–100 KB"), (1024 * 1024, "100 KB–1 MB"),
        (5 * 1024 * 1024, "1–5 MB"), (long.MaxValue, "≥ 5 MB"),
    ];

    private static readonly (double Limit, string Label)[] AspectBuckets =
    [
        (0.5, "Tall (under 1:2)"), (0.8, "Portrait"), (1.25, "About square"), (2.0, "Landscape"), (double.MaxValue, "Wide (2:1 or more)"),
    ];

    public static DatasetAnalysis Analyze(Dataset dataset, IReadOnlyList<ImageAsset> images, IReadOnlyList<NearDuplicatePair> pairs)
    {
        var labelOf = images.ToDictionary(i => i.Id, i => i.Label, StringComparer.Ordinal);
        var classes = dataset.Classes
            .Select(c => new ClassCount(c, images.Count(i => i.Label == c)))
            .ToList();
        var unlabelled = images.Count(i => i.Label is null);
        var shown = pairs
            .Select(p => Describe(p, labelOf))
            .OrderByDescending(p => p.DifferentClasses).ThenBy(p => p.Distance)
            .ToList();
        var across = shown.Count(p => p.DifferentClasses);

        return new DatasetAnalysis(
            dataset.Id,
            dataset.Revision,
            images.Count,
            unlabelled,
            classes,
            Histogram(images.Select(i => (long)i.Width), PixelBuckets),
            Histogram(images.Select(i => (long)i.Height), PixelBuckets),
            Histogram(images.Select(i => i.Height == 0 ? 1.0 : (double)i.Width / i.Height), AspectBuckets),
            Histogram(images.Select(i => i.SizeBytes), SizeBuckets),
            images.GroupBy(i => i.Format).Select(g => new FormatCount(g.Key, g.Count())).OrderByDescending(f => f.Count).ToList(),
            images.Count == 0 ? 0 : images.Min(i => i.Width),
            images.Count == 0 ? 0 : images.Max(i => i.Width),
            images.Count == 0 ? 0 : images.Min(i => i.Height),
            images.Count == 0 ? 0 : images.Max(i => i.Height),
            images.Sum(i => i.SizeBytes),
            dataset.DuplicatesSkipped,
            pairs.Count,
            across,
            shown.Take(DatasetAnalysisService.ShownPairs).ToList(),
            Warnings(images, classes, unlabelled, pairs.Count, across));
    }

    private static NearDuplicateInfo Describe(NearDuplicatePair pair, Dictionary<string, string?> labelOf)
    {
        var first = labelOf.GetValueOrDefault(pair.FirstImageId);
        var second = labelOf.GetValueOrDefault(pair.SecondImageId);
        var different = first is not null && second is not null && first != second;
        return new NearDuplicateInfo(pair.FirstImageId, pair.SecondImageId, pair.Distance, first, second, different);
    }

    private static List<Bucket> Histogram<T>(IEnumerable<T> values, (T Limit, string Label)[] buckets)
        where T : IComparable<T>
    {
        var counts = new long[buckets.Length];
        foreach (var value in values)
        {
            var index = Array.FindIndex(buckets, b => value.CompareTo(b.Limit) < 0);
            counts[index < 0 ? buckets.Length - 1 : index]++;
        }

        return buckets.Select((b, i) => new Bucket(b.Label, counts[i])).ToList();
    }

    private static List<string> Warnings(IReadOnlyList<ImageAsset> images, List<ClassCount> classes, int unlabelled, int pairs, int across)
    {
        var warnings = new List<string>();
        if (images.Count == 0)
        {
            warnings.Add("This dataset has no images yet. Upload some to see its analysis.");
            return warnings;
        }

        if (classes.Count < 2)
        {
            warnings.Add($"A classifier needs at least two classes; this dataset has {classes.Count}. Add classes and label your images.");
        }

        foreach (var small in classes.Where(c => c.Count < FewImagesPerClass))
        {
            warnings.Add($"Class '{small.Name}' has only {small.Count} image{(small.Count == 1 ? "" : "s")}; aim for at least {FewImagesPerClass}, more is better.");
        }

        var populated = classes.Where(c => c.Count > 0).ToList();
        if (populated.Count >= 2)
        {
            var largest = populated.MaxBy(c => c.Count)!;
            var smallest = populated.MinBy(c => c.Count)!;
            var ratio = (double)largest.Count / smallest.Count;
            if (ratio > ImbalanceRatio)
            {
                warnings.Add($"The classes are unbalanced: '{largest.Name}' has {largest.Count} images but '{smallest.Name}' only {smallest.Count} ({ratio:0.#} to 1). The model may favour '{largest.Name}'.");
            }
        }

        var tiny = images.Count(i => i.Width < TinySide || i.Height < TinySide);
        if (tiny > 0)
        {
            warnings.Add($"{tiny} image{(tiny == 1 ? " is" : "s are")} smaller than {TinySide} px on a side and carr{(tiny == 1 ? "ies" : "y")} little detail.");
        }

        if (unlabelled > 0)
        {
            warnings.Add($"{unlabelled} image{(unlabelled == 1 ? " has" : "s have")} no class and will be left out of training until labelled.");
        }

        if (across > 0)
        {
            warnings.Add($"{across} pair{(across == 1 ? "" : "s")} of nearly identical images {(across == 1 ? "is" : "are")} in different classes; check their labels.");
        }
        else if (pairs > 0)
        {
            warnings.Add($"{pairs} pair{(pairs == 1 ? "" : "s")} of images look nearly identical; duplicates can make test results look better than they are.");
        }

        return warnings;
    }
}
