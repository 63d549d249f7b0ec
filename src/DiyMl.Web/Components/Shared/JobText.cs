using System.Globalization;
using System.Text.Json;
using DiyMl.Domain.Jobs;
using MudBlazor;

namespace DiyMl.Web.Components.Shared;

/// <summary>Plain-language wording for job states, shared by the job pages and the progress view.</summary>
public static class JobText
{
    public static string Kind(JobKind kind) => kind switch
    {
        JobKind.Training => "Training",
        JobKind.ModelTest => "Model test",
        JobKind.BatchPrediction => "Batch prediction",
        _ => kind.ToString(),
    };

    /// <summary>The status as a word a person uses (the API keeps its own names).</summary>
    public static string Status(JobStatus status) => status switch
    {
        JobStatus.Queued => "Waiting",
        JobStatus.Running => "Running",
        JobStatus.Succeeded => "Done",
        JobStatus.Failed => "Failed",
        JobStatus.Cancelled => "Cancelled",
        _ => status.ToString(),
    };

    public static Color StatusColor(JobStatus status) => status switch
    {
        JobStatus.Queued => Color.Default,
        JobStatus.Running => Color.Info,
        JobStatus.Succeeded => Color.Success,
        JobStatus.Failed => Color.Error,
        _ => Color.Warning,
    };

    public static string Duration(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds)));
        return span.TotalHours >= 1
            ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : span.TotalMinutes >= 1 ? $"{span.Minutes} min {span.Seconds} s" : $"{span.Seconds} s";
    }

    /// <summary>How long a stage took: tenths under ten seconds, so a quick stage does not read "0 s".</summary>
    public static string StageDuration(double seconds) =>
        seconds < 9.95 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Math.Max(0, seconds):0.0} s") : Duration(seconds);

    public static string Rate(double rate, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{rate:0.#} {unit}/s");

    /// <summary>A share in quarters ("about half done"): what a screen reader announces, so it speaks a few times a stage, not every half second.</summary>
    public static string Share(double fraction) => Math.Round(Math.Clamp(fraction, 0, 1) * 4, MidpointRounding.ToZero) switch
    {
        0 => "just started",
        1 => "about a quarter done",
        2 => "about half done",
        3 => "about three quarters done",
        _ => "almost done",
    };

    public static string Counted(ProgressSnapshot progress) =>
        string.Create(CultureInfo.InvariantCulture, $"{progress.Done:N0} / {progress.Total:N0}");

    /// <summary>
    /// What a job has done so far and what it is doing, in words and without timings (those stay
    /// under Details): "So far it got your pictures ready and looked at them. Now: trying settings."
    /// The first step, "Starting", is the worker picking the job up and says nothing to a person.
    /// </summary>
    public static string Steps(JobSnapshot job)
    {
        var succeeded = job.Status == JobStatus.Succeeded;
        var done = job.Progress.StageSeconds.Keys
            .Where(s => !IsStart(s) && (succeeded || !string.Equals(s, job.Progress.Stage, StringComparison.OrdinalIgnoreCase)))
            .Select(StepDone)
            .ToList();
        var list = done.Count switch
        {
            0 => "",
            1 => done[0],
            _ => string.Join(", ", done.Take(done.Count - 1)) + " and " + done[^1],
        };
        if (job.IsFinished)
        {
            return list.Length == 0 ? "" : succeeded ? $"It {list}." : $"Before it stopped, it {list}.";
        }

        var now = IsStart(job.Progress.Stage) ? "starting up" : Words.Stage(job.Progress.Stage, job.Progress.Done).TrimEnd('…').ToLowerInvariant();
        return list.Length == 0 ? $"Now: {now}." : $"So far it {list}. Now: {now}.";
    }

    /// <summary>One finished step as a person says it, in the past.</summary>
    public static string StepDone(string stage) => stage.ToLowerInvariant() switch
    {
        "preparing" => "got your pictures ready",
        "featurizing" => "looked at your pictures",
        "trying settings" => "tried settings",
        "fitting" => "learned from them",
        "learning curve" => "checked whether more pictures would help",
        "evaluating" => "checked itself on pictures it had not seen",
        "predicting" => "looked at the pictures",
        "saving" => "saved the result",
        _ => stage.ToLowerInvariant(),
    };

    /// <summary>A step's name beside its time under Details.</summary>
    public static string StepName(string stage) => IsStart(stage) ? "Starting up" : Words.Stage(stage, 1).TrimEnd('…');

    private static bool IsStart(string stage) => string.Equals(stage, "Starting", StringComparison.OrdinalIgnoreCase);

    /// <summary>The numbers at the top level of a job's result JSON (e.g. accuracy), for a generic summary.</summary>
    public static IReadOnlyList<(string Name, string Value)> Metrics(string? resultJson)
    {
        if (string.IsNullOrWhiteSpace(resultJson))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(resultJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            return [.. document.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind is JsonValueKind.Number or JsonValueKind.String)
                .Select(p => (Humanize(p.Name), p.Value.ValueKind == JsonValueKind.Number
                    ? p.Value.GetDouble().ToString("0.####", CultureInfo.InvariantCulture)
                    : p.Value.GetString() ?? ""))];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string Humanize(string name) =>
        name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + string.Concat(name.Skip(1).Select(c => char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));
}
