using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace DiyMl.Web.Endpoints;

/// <summary>One file part of a multipart upload; <see cref="Body"/> is readable once, before the next part.</summary>
internal sealed record UploadedFile(string FieldName, string FileName, Stream Body);

/// <summary>
/// The one multipart reader of every route that takes files. The body is streamed part by part,
/// never buffered whole, and one set of rules holds everywhere: a body over the limit is a 413, a
/// content type other than multipart/form-data is a 415, and anything malformed (no boundary or no match,
/// empty or truncated body, an over-long boundary, bad part headers, no file at all) is a 400
/// ProblemDetails. Errors raised by what a caller does with a file are left alone: only failures of
/// the body itself are the client's fault.
/// </summary>
internal static class MultipartUpload
{
    // RFC 2046 §5.1.1: a boundary has 1 to 70 characters.
    private const int MaxBoundaryLength = 70;
    private const int MaxFieldChars = 256;

    /// <summary>
    /// Reads every part: files go to <paramref name="onFile"/> in order, short text fields to
    /// <paramref name="onField"/>. Returns how many files were sent; none is a 400.
    /// </summary>
    public static async Task<int> ReadAsync(
        HttpContext http, long maxBytes, Func<UploadedFile, Task> onFile, Action<string, string>? onField, CancellationToken ct)
    {
        if (!FitsLimit(http, maxBytes))
        {
            throw new BadHttpRequestException($"The upload is larger than {Megabytes(maxBytes)}; send it in smaller parts.", StatusCodes.Status413PayloadTooLarge);
        }

        if (!IsMultipart(http.Request))
        {
            throw new BadHttpRequestException("Send the files as multipart/form-data in the field 'files' (repeat it for many files).", StatusCodes.Status415UnsupportedMediaType);
        }

        var boundary = Boundary(http.Request) ?? throw Malformed("the Content-Type header names no boundary.");
        if (boundary.Length > MaxBoundaryLength)
        {
            throw Malformed($"the boundary has {boundary.Length} characters; at most {MaxBoundaryLength} are allowed.");
        }

        var reader = new MultipartReader(boundary, http.Request.Body);
        var files = 0;
        while (await GuardAsync(() => reader.ReadNextSectionAsync(ct)) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                throw Malformed("a part has no Content-Disposition header.");
            }

            var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                files++;
                await onFile(new UploadedFile(field, FileName(disposition), new MultipartBodyStream(section.Body)));
            }
            else if (disposition.IsFormDisposition() && onField is not null)
            {
                onField(field, await GuardAsync(() => ReadShortTextAsync(section.Body, ct)));
            }
        }

        return files > 0
            ? files
            : throw new BadHttpRequestException("No files were sent; put them in the multipart field 'files' (repeat it for many files).", StatusCodes.Status400BadRequest);
    }

    /// <summary>True for a multipart content type, whether or not it names a boundary (a route may also take JSON).</summary>
    public static bool IsMultipart(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
        && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    /// <summary>The 400 every malformed body gets.</summary>
    public static BadHttpRequestException Malformed(string reason, Exception? inner = null) =>
        new($"The multipart body is malformed: {reason}", StatusCodes.Status400BadRequest, inner!);

    public static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024):0.#} MB";

    /// <summary>Turns a failure of the request body into the 400 it is; a body over the size limit keeps its 413.</summary>
    internal static async Task<T> GuardAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (BadHttpRequestException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw Malformed(e.Message, e);
        }
    }

    /// <summary>Lets this request's body grow to <paramref name="maxBytes"/>; false when it already declares more.</summary>
    private static bool FitsLimit(HttpContext http, long maxBytes)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = maxBytes;
        }

        return !(http.Request.ContentLength > maxBytes);
    }

    private static string? Boundary(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
        && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
        && HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is { Length: > 0 } boundary
            ? boundary
            : null;

    /// <summary>The sent file name, unquoted (display text only, never a path).</summary>
    private static string FileName(ContentDispositionHeaderValue disposition)
    {
        var fileName = disposition.FileNameStar.Value ?? disposition.FileName.Value ?? "(unnamed)";
        return HeaderUtilities.RemoveQuotes(fileName).Value ?? fileName;
    }

    private static async Task<string> ReadShortTextAsync(Stream body, CancellationToken ct)
    {
        using var reader = new StreamReader(body);
        var buffer = new char[MaxFieldChars];
        var length = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
        return new string(buffer, 0, length);
    }
}
