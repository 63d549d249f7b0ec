using System.Security.Claims;
using DiyMl.Domain.Datasets;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

/// <summary>
/// <c>POST /api/datasets/{id}/images</c>: multipart with the repeatable field <c>files</c> (images
/// or zip archives) and an optional <c>label</c> (a form field before the files, or the query).
/// The body is streamed file by file through <see cref="MultipartUpload"/>, never buffered whole.
/// A mixed upload answers 200 with its per-file report; an upload of which nothing could be used
/// answers 422 (or 413 when the quota is full) carrying the same report, so a script that checks
/// only the status code still notices. A request that fails half-way (truncated, malformed) keeps nothing.
/// </summary>
internal static class ImageUploadEndpoint
{
    internal static async Task<Results<Ok<IngestReport>, ProblemHttpResult>> UploadAsync(
        string id, string? label, HttpContext http, ClaimsPrincipal user, ImageIngestService ingest, DatasetOptions options, CancellationToken ct)
    {
        var session = await ingest.BeginAsync(user.GetUserId(), id, ct);
        try
        {
            await MultipartUpload.ReadAsync(
                http,
                options.MaxUploadBytes,
                file => session.AddAsync(file.FileName, file.Body, label, ct),
                (field, value) => label = field == "label" ? value : label,
                ct);
        }
        catch
        {
            await session.DiscardAsync(); // a refused or broken request keeps nothing it had stored
            throw;
        }

        await session.DisposeAsync();

        var report = session.Report;
        if (report.Accepted > 0 || report.Duplicates > 0)
        {
            return TypedResults.Ok(report);
        }

        return report.QuotaExceeded
            ? Refused(StatusCodes.Status413PayloadTooLarge, "Too large", "Your storage quota is full; nothing was stored. Delete images or datasets you no longer need.", report)
            : Refused(StatusCodes.Status422UnprocessableEntity, "Nothing could be used", "None of the files is a picture that can be stored; 'files' says why for each one.", report);
    }

    private static ProblemHttpResult Refused(int status, string title, string detail, IngestReport report) =>
        TypedResults.Problem(
            title: title,
            detail: detail,
            statusCode: status,
            extensions: new Dictionary<string, object?>
            {
                ["accepted"] = report.Accepted,
                ["duplicates"] = report.Duplicates,
                ["rejected"] = report.Rejected,
                ["quotaExceeded"] = report.QuotaExceeded,
                ["files"] = report.Files,
            });
}
