namespace DiyMl.JobsBench;

internal static class Docs
{
    /// <summary>Replaces the text between &lt;!-- name:start --&gt; and &lt;!-- name:end --&gt;, appending the section when missing.</summary>
    public static void ReplaceSection(string path, string name, string body)
    {
        var text = File.ReadAllText(path);
        var start = $"<!-- {name}:start -->";
        var end = $"<!-- {name}:end -->";
        var section = $"{start}\n{body.TrimEnd()}\n{end}";
        var a = text.IndexOf(start, StringComparison.Ordinal);
        var b = text.IndexOf(end, StringComparison.Ordinal);
        text = a >= 0 && b > a
            ? text[..a] + section + text[(b + end.Length)..]
            : text.TrimEnd() + "\n\n" + section + "\n";
        File.WriteAllText(path, text);
    }
}
