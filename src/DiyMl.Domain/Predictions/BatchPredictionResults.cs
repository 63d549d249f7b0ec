using System.Globalization;
using System.Text;
using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Reports;

namespace DiyMl.Domain.Predictions;

/// <summary>The answers of a finished prediction job, for its owner, as JSON or CSV.</summary>
public sealed class BatchPredictionResults(JobService jobs, IBlobStore blobs)
{
    public async Task<IReadOnlyList<ImagePrediction>> GetAsync(string userId, string modelId, string jobId, CancellationToken ct = default)
    {
        var job = await jobs.GetAsync(userId, jobId, ct);
        if (job.Kind != JobKind.BatchPrediction || job.ModelId != modelId)
        {
            throw new NotFoundException("Prediction job", jobId);
        }

        if (job.Status != JobStatus.Succeeded || job.ResultJson is null)
        {
            throw new ConflictException($"The prediction job is {job.Status}; its results are ready once it has succeeded.");
        }

        var result = JobJson.Result<BatchPredictionResult>(job);
        await using var stream = await blobs.OpenReadAsync(result.ResultSha256, ct) ?? throw new NotFoundException("Prediction job results", jobId);
        return await JsonSerializer.DeserializeAsync<List<ImagePrediction>>(stream, BatchPredictionService.Json, ct) ?? [];
    }

    /// <summary>One row per image: file, label, confidence, uncertain, the top labels with scores, error.</summary>
    public static string ToCsv(IReadOnlyList<ImagePrediction> answers)
    {
        var csv = new StringBuilder("fileName,label,confidence,uncertain,top,error\n");
        foreach (var a in answers)
        {
            var top = a.Top is null ? "" : string.Join(';', a.Top.Select(t => $"{t.Label}:{t.Score.ToString("R", CultureInfo.InvariantCulture)}"));
            csv.Append(ReportCsv.Field(a.FileName)).Append(',')
                .Append(ReportCsv.Field(a.Label ?? "")).Append(',')
                .Append(a.Confidence?.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(a.Uncertain is { } u ? (u ? "true" : "false") : "").Append(',')
                .Append(ReportCsv.Field(top)).Append(',')
                .Append(ReportCsv.Field(a.Error ?? "")).Append('\n');
        }

        return csv.ToString();
    }
}
