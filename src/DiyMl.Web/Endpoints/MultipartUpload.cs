using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace DiyMl.Web.Endpoints;

/// <summary>What every streamed multipart upload endpoint checks before reading its sections.</summary>
internal static class MultipartUpload
{
    /// <summary>Lets this request's body grow to <paramref name="maxBytes"/>; false when it already declares more.</summary>
    public static bool FitsLimit(HttpContext http, long maxBytes)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = maxBytes;
        }

        return !(http.Request.ContentLength > maxBytes);
    }

    /// <summary>The boundary of a <c>multipart/form-data</c> body; null for any other content type or none named.</summary>
    public static string? Boundary(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
        && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
        && HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is { Length: > 0 } boundary
            ? boundary
            : null;

    /// <summary>The sent file name, unquoted (display text only, never a path).</summary>
    public static string FileName(ContentDispositionHeaderValue disposition)
    {
        var fileName = disposition.FileNameStar.Value ?? disposition.FileName.Value ?? "(unnamed)";
        return HeaderUtilities.RemoveQuotes(fileName).Value ?? fileName;
    }
}
