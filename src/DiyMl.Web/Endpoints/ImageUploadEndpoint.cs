using System.Security.Claims;
using DiyMl.Domain.Datasets;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.Features;
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
        var request = http.Request;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = options.MaxUploadBytes;
        }

        if (request.ContentLength > options.MaxUploadBytes)
        {
            return TooLarge($"The upload is larger than {options.MaxUploadBytes / (1024 * 1024):N0} MB; send it in smaller parts.");
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
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
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                if (disposition.IsFileDisposition())
                {
                    var fileName = disposition.FileNameStar.Value ?? disposition.FileName.Value ?? "(unnamed)";
                    await session.AddAsync(HeaderUtilities.RemoveQuotes(fileName).Value ?? fileName, section.Body, label, ct);
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
