namespace DiyMl.IngestBench;

/// <summary>Replaces one helper's section of docs/benchmarks.md, between its start and end markers.</summary>
internal static class BenchmarksDoc
{
    public static void WriteSection(string path, string owner, string body)
    {
        var start = $"<!-- {owner}:start -->";
        var end = $"<!-- {owner}:end -->";
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var block = $"{start}\n{body.TrimEnd()}\n{end}";
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        text = from >= 0 && to > from
            ? string.Concat(text.AsSpan(0, from), block, text.AsSpan(to + end.Length))
            : text.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(path, text);
    }
}
