using System.Text.Json;
using DiyMl.Domain.Jobs;

namespace DiyMl.Web.Endpoints;

/// <summary>
/// A job as scripts see it (REST, Server-Sent Events and the SignalR hub all send this).
/// <c>attempts</c> counts starts; <c>notice</c> says why it had to be started again, if it was.
/// </summary>
public sealed record JobDto(
    string Id,
    string Kind,
    string Status,
    JobProgressDto Progress,
    string? Error,
    string? ModelId,
    string? DatasetId,
    bool CancelRequested,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    DateTime UpdatedAt,
    JsonElement? Result,
    int Attempts,
    string? Notice)
{
    public static JobDto From(Job job) => From(JobSnapshot.From(job));

    public static JobDto From(JobSnapshot job) => new(
        job.Id,
        job.Kind.ToString(),
        job.Status.ToString(),
        JobProgressDto.From(job.Progress),
        job.Error,
        job.ModelId,
        job.DatasetId,
        job.CancelRequested,
        job.CreatedAt,
        job.StartedAt,
        job.FinishedAt,
        job.UpdatedAt,
        ParseResult(job.ResultJson),
        job.Attempts,
        job.Notice);

    private static JsonElement? ParseResult(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Rate is items per second in the current stage; ETA and stage durations are in seconds (null
/// until they can be honest). Trials are the settings tried so far and their scores (0..1).
/// </summary>
public sealed record JobProgressDto(
    string Stage,
    int Done,
    int Total,
    double? Rate,
    double? EtaSeconds,
    IReadOnlyDictionary<string, double> StageSeconds,
    IReadOnlyList<JobTrialDto> Trials)
{
    public static JobProgressDto From(ProgressSnapshot progress) => new(
        progress.Stage,
        progress.Done,
        progress.Total,
        progress.Rate is { } rate ? Math.Round(rate, 2) : null,
        progress.EtaSeconds is { } eta ? Math.Round(eta, 1) : null,
        progress.StageSeconds,
        [.. progress.Trials.Select(t => new JobTrialDto(t.Setting, t.Value, Math.Round(t.Score, 4)))]);
}

public sealed record JobTrialDto(string Setting, double Value, double Score);

public sealed record JobListDto(IReadOnlyList<JobDto> Items, long Total);
