using System.Globalization;
using System.Text;
using DiyMl.Domain.Training;

namespace DiyMl.Domain.Reports;

/// <summary>
/// The report as CSV for spreadsheets: one figure per row, <c>section,key,value</c>, with the
/// same names and values as the JSON (numbers in invariant culture, full precision, dates ISO 8601).
/// </summary>
public static class ReportCsv
{
    public static string Write(ModelReport report)
    {
        var csv = new StringBuilder();
        csv.Append("section,key,value\n");
        var t = report.Training;
        Row(csv, "training", "modelId", t.ModelId);
        Row(csv, "training", "name", t.Name);
        Row(csv, "training", "modelType", t.ModelTypeId);
        Row(csv, "training", "datasetId", t.DatasetId);
        Row(csv, "training", "datasetName", t.DatasetName ?? "");
        Row(csv, "training", "classes", string.Join(';', t.Classes));
        Row(csv, "training", "trainImages", Num(t.TrainImages));
        Row(csv, "training", "validationImages", Num(t.ValidationImages));
        Row(csv, "training", "seed", Num(t.Seed));
        Row(csv, "training", "totalSeconds", Num(t.TotalSeconds));
        Row(csv, "training", "trainedAt", Date(t.TrainedAt));
        foreach (var (name, value) in t.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Row(csv, "parameters", name, Num(value));
        }

        foreach (var (stage, seconds) in t.StageSeconds)
        {
            Row(csv, "stageSeconds", stage, Num(seconds));
        }

        Metrics(csv, "validation", report.Validation);
        if (report.LatestTest is { } test)
        {
            Metrics(csv, "latestTest", test);
        }

        var u = report.Usage;
        Row(csv, "usage", "from", u.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Row(csv, "usage", "to", u.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Row(csv, "usage", "total", Num(u.Total));
        Row(csv, "usage", "uncertain", Num(u.Uncertain));
        Row(csv, "usage", "uncertainShare", Num(u.UncertainShare));
        Row(csv, "latency", "p50", Num(u.Latency.P50));
        Row(csv, "latency", "p95", Num(u.Latency.P95));
        Row(csv, "latency", "p99", Num(u.Latency.P99));
        Row(csv, "latency", "mean", Num(u.Latency.Mean));
        foreach (var day in u.PerDay)
        {
            Row(csv, "perDay", day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Num(day.Count));
        }

        foreach (var channel in u.ByChannel)
        {
            Row(csv, "byChannel", channel.Channel.ToString(), Num(channel.Count));
        }

        foreach (var label in u.Classes)
        {
            Row(csv, "classes", label.Label, Num(label.Count));
        }

        foreach (var bin in u.Confidence)
        {
            Row(csv, "confidence", $"{Num(bin.From)}-{Num(bin.To)}", Num(bin.Count));
        }

        return csv.ToString();
    }

    private static void Metrics(StringBuilder csv, string section, Evaluation evaluation)
    {
        Row(csv, section, "images", Num(evaluation.Count));
        Row(csv, section, "accuracy", Num(evaluation.Accuracy));
        Row(csv, section, "macroF1", Num(evaluation.MacroF1));
        foreach (var c in evaluation.PerClass)
        {
            Row(csv, section + ".precision", c.Label, Num(c.Precision));
            Row(csv, section + ".recall", c.Label, Num(c.Recall));
            Row(csv, section + ".f1", c.Label, Num(c.F1));
            Row(csv, section + ".support", c.Label, Num(c.Support));
        }
    }

    private static string Num(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Date(DateTime value) => value.ToString("O", CultureInfo.InvariantCulture);

    private static void Row(StringBuilder csv, string section, string key, string value) =>
        csv.Append(Field(section)).Append(',').Append(Field(key)).Append(',').Append(Field(value)).Append('\n');

    // RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs a
    // class name or model name as a formula.
    internal static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
