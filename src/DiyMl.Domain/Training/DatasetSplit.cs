using System.Security.Cryptography;
using System.Text;

namespace DiyMl.Domain.Training;

/// <summary>
/// Splits labelled images into training and validation sets, class by class (stratified), the
/// same way every time for the same images and seed: images are ordered by SHA-256 (not by
/// upload order or id, so re-uploading the same pictures gives the same split) and shuffled
/// with a seeded generator. Every class with at least two images keeps at least one on each side.
/// </summary>
public static class DatasetSplit
{
    public static (IReadOnlyList<LabelledImage> Train, IReadOnlyList<LabelledImage> Validation) Split(
        IReadOnlyList<LabelledImage> images, double validationShare, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(validationShare, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(validationShare, 1.0);

        var train = new List<LabelledImage>();
        var validation = new List<LabelledImage>();
        foreach (var group in images.GroupBy(i => i.Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(i => i.Sha256, StringComparer.Ordinal).ThenBy(i => i.ImageId, StringComparer.Ordinal).ToArray();
            new Random(HashCode(seed, group.Key)).Shuffle(ordered);
            var take = (int)Math.Round(ordered.Length * validationShare, MidpointRounding.AwayFromZero);
            if (ordered.Length >= 2)
            {
                take = Math.Clamp(take, 1, ordered.Length - 1);
            }
            else
            {
                take = 0;
            }

            validation.AddRange(ordered.Take(take));
            train.AddRange(ordered.Skip(take));
        }

        return (train, validation);
    }

    /// <summary>SHA-256 over the sorted (image SHA-256, label) pairs: the fingerprint of exactly what was trained on.</summary>
    public static string ManifestHash(IEnumerable<LabelledImage> images)
    {
        var lines = images
            .Select(i => $"{i.Sha256}\t{i.Label}")
            .Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }

    // A per-class seed that does not depend on string.GetHashCode (randomised per process).
    private static int HashCode(int seed, string label)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{label}"));
        return BitConverter.ToInt32(digest, 0);
    }
}
