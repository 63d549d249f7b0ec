using System.Text;

namespace DiyMl.Bench;

/// <summary>Prints each figure as it is measured and can write them all into docs/benchmarks.md's ml section.</summary>
internal sealed class Report
{
    private const string Start = "<!-- ml:start -->";
    private const string End = "<!-- ml:end -->";
    private readonly StringBuilder _lines = new();

    /// <summary>Whether --type X (optional) lets this model type's study run: one type's figures without the others' minutes.</summary>
    public static bool TypeSelected(string type)
    {
        var wanted = Environment.GetCommandLineArgs().SkipWhile(a => a != "--type").Skip(1).FirstOrDefault();
        return wanted is null || wanted == type;
    }

    public void Line(string text)
    {
        Console.WriteLine(text);
        _lines.AppendLine(text.StartsWith("## ", StringComparison.Ordinal) ? "\n#" + text + "\n" : text);
    }

    public void Save(string? path)
    {
        if (path is null)
        {
            return;
        }

        var section = $"{Start}\n## Machine learning (bench/DiyMl.Bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)\n\n{_lines.ToString().Trim()}\n{End}";
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var from = text.IndexOf(Start, StringComparison.Ordinal);
        var to = text.IndexOf(End, StringComparison.Ordinal);
        text = from >= 0 && to > from
            ? text[..from] + section + text[(to + End.Length)..]
            : text.TrimEnd() + "\n\n" + section + "\n";
        File.WriteAllText(path, text);
        Console.WriteLine($"written to {path}");
    }
}
