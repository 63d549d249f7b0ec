using System.IO.Compression;

namespace DiyMl.Infrastructure.Ml.Export;

/// <summary>
/// Writes a model's download zip from two zips saved by ML.NET's <c>Model.Save</c>: the model's
/// own small chain (a stand-in featurizer, the head, MapKeyToValue) and the feature space's
/// featurizer chain. An ML.NET zip is a tree of directories, one per transformer, so the result
/// is the small zip with its <c>TransformerChain/Transform_000/**</c> replaced by the featurizer
/// zip's <c>TransformerChain/**</c> and its input <c>Schema</c> by the featurizer's (pictures in,
/// not features): entry for entry what <c>Model.Save</c> of the whole chain writes, in its order.
/// Every entry is stream-copied, so no entry (the network is 64 MB) is ever held in memory.
/// </summary>
internal static class ZipComposer
{
    public const string Chain = "TransformerChain/";
    public const string Featurizer = Chain + "Transform_000/";
    public const string Schema = "Schema";

    public static void Compose(Stream modelZip, Stream featurizerZip, Stream destination)
    {
        using var model = new ZipArchive(modelZip, ZipArchiveMode.Read, leaveOpen: true);
        using var featurizer = new ZipArchive(featurizerZip, ZipArchiveMode.Read, leaveOpen: true);
        using var output = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        var featurizerWritten = false;
        foreach (var entry in model.Entries)
        {
            if (entry.FullName.StartsWith(Featurizer, StringComparison.Ordinal))
            {
                // The stand-in's entries mark where the featurizer goes; they are not copied.
                if (!featurizerWritten)
                {
                    foreach (var part in featurizer.Entries.Where(e => e.FullName.StartsWith(Chain, StringComparison.Ordinal)))
                    {
                        Copy(part, Featurizer + part.FullName[Chain.Length..], output);
                    }

                    featurizerWritten = true;
                }

                continue;
            }

            var source = entry.FullName == Schema
                ? featurizer.GetEntry(Schema) ?? throw new InvalidDataException("The featurizer zip has no input schema.")
                : entry;
            Copy(source, entry.FullName, output);
        }

        if (!featurizerWritten)
        {
            throw new InvalidDataException("The model zip has no featurizer slot (TransformerChain/Transform_000).");
        }
    }

    private static void Copy(ZipArchiveEntry source, string name, ZipArchive output)
    {
        // The network's floats barely deflate (64 MB → 59 MB at Optimal, and Fastest made them
        // larger: 68 MB), so large entries that compressed poorly are stored, costing the server no
        // compression CPU per download; the rest keep Optimal. Entry bytes are the same either way.
        var level = source.Length > (1 << 20) && source.CompressedLength > 0.8 * source.Length ? CompressionLevel.NoCompression : CompressionLevel.Optimal;
        var target = output.CreateEntry(name, level);
        target.LastWriteTime = source.LastWriteTime;
        using var from = source.Open();
        using var to = target.Open();
        from.CopyTo(to, 81920);
    }
}
