using System.Security.Claims;
using DiyMl.Domain.Datasets;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace DiyMl.Web.Endpoints;

/// <summary>
/// <c>POST /api/datasets/{id}/images</c>: multipart with the repeatable field <c>files</c> (images
/// or zip archives) and an optional <c>label</c> (a form field before the files, or the query).
/// The body is streamed section by section, never buffered whole, so memory stays flat however
/// large the upload is.
/// </summary>
internal static class ImageUploadEndpoint
{
    private const int MaxLabelChars = 256;

    internal static async Task<Results<Ok<IngestReport>, ProblemHttpResult>> UploadAsync(
        string id, string? label, HttpContext http, ClaimsPrincipal user, ImageIngestService ingest, DatasetOptions options, CancellationToken ct)
    {
        if (!MultipartUpload.FitsLimit(http, options.MaxUploadBytes))
        {
            return TooLarge($"The upload is larger than {options.MaxUploadBytes / (1024 * 1024):N0} MB; send it in smaller parts.");
        }

        if (MultipartUpload.Boundary(http.Request) is not { } boundary)
        {
            return TypedResults.Problem(
                title: "The request is not valid",
                detail: "Send the images as multipart/form-data in the field 'files' (repeat it for many files), with an optional 'label' field.",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var session = await ingest.BeginAsync(user.GetUserId(), id, ct);
        var files = 0;
        await using (session)
        {
            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                if (disposition.IsFileDisposition())
                {
                    await session.AddAsync(MultipartUpload.FileName(disposition), section.Body, label, ct);
                    files++;
                }
                else if (disposition.IsFormDisposition() && HeaderUtilities.RemoveQuotes(disposition.Name).Value == "label")
                {
                    label = await ReadShortTextAsync(section.Body, ct);
                }
            }
        }

        var report = session.Report;
        if (files == 0)
        {
            return TypedResults.Problem(title: "The request is not valid", detail: "No files were sent; put the images in the multipart field 'files'.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (report.QuotaExceeded && report.Accepted == 0)
        {
            return TooLarge("Your storage quota is full; nothing was stored. Delete images or datasets you no longer need.", report);
        }

        return TypedResults.Ok(report);
    }

    private static ProblemHttpResult TooLarge(string detail, IngestReport? report = null) =>
        TypedResults.Problem(
            title: "Too large",
            detail: detail,
            statusCode: StatusCodes.Status413PayloadTooLarge,
            extensions: report is null ? null : new Dictionary<string, object?> { ["files"] = report.Files });

    private static async Task<string> ReadShortTextAsync(Stream body, CancellationToken ct)
    {
        using var reader = new StreamReader(body);
        var buffer = new char[MaxLabelChars];
        var length = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
        return new string(buffer, 0, length);
    }
}
