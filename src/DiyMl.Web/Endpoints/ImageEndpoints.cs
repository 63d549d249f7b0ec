using System.Security.Claims;
using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace DiyMl.Web.Endpoints;

/// <summary>/api/datasets/{id}/images: upload, browse, open, relabel, move and delete images.</summary>
public static class ImageEndpoints
{
    // Thumbnails and originals are named by content, so a cached copy is valid for ever.
    private const string ImmutableCache = "private, max-age=31536000, immutable";

    public static RouteGroupBuilder MapImageEndpoints(this RouteGroupBuilder datasets)
    {
        datasets.MapPost("/{id}/images", ImageUploadEndpoint.UploadAsync).WithName("UploadImages").DisableAntiforgery();
        datasets.MapGet("/{id}/images", ListAsync).WithName("ListImages");
        datasets.MapPost("/{id}/images/relabel", RelabelAsync).WithName("RelabelImages");
        datasets.MapPost("/{id}/images/move", MoveAsync).WithName("MoveImages");
        datasets.MapPost("/{id}/images/delete", DeleteManyAsync).WithName("DeleteImages");
        datasets.MapGet("/{id}/images/{imageId}", GetAsync).WithName("GetImage");
        datasets.MapPatch("/{id}/images/{imageId}", PatchAsync).WithName("UpdateImage");
        datasets.MapDelete("/{id}/images/{imageId}", DeleteAsync).WithName("DeleteImage");
        datasets.MapGet("/{id}/images/{imageId}/content", ContentAsync).WithName("GetImageContent");
        datasets.MapGet("/{id}/images/{imageId}/thumbnail", ThumbnailAsync).WithName("GetImageThumbnail");
        return datasets;
    }

    internal static async Task<Ok<ListDto<ImageDto>>> ListAsync(
        string id, string? label, bool? unlabelled, string? format, bool? duplicates, int? page, int? pageSize,
        ClaimsPrincipal user, GalleryService gallery, CancellationToken ct)
    {
        var filter = new GalleryFilter(string.IsNullOrWhiteSpace(label) ? null : label, unlabelled ?? false, string.IsNullOrWhiteSpace(format) ? null : format, duplicates ?? false);
        var result = await gallery.ListAsync(user.GetUserId(), id, filter, page ?? 1, pageSize ?? 50, ct);
        return TypedResults.Ok(new ListDto<ImageDto>(result.Items.Select(ImageDto.From).ToList(), result.Total));
    }

    internal static async Task<Ok<ImageDto>> GetAsync(string id, string imageId, ClaimsPrincipal user, GalleryService gallery, CancellationToken ct) =>
        TypedResults.Ok(ImageDto.From(await gallery.GetAsync(user.GetUserId(), id, imageId, ct)));

    /// <summary>Body <c>{"label": "cat"}</c> labels the image; <c>{"label": null}</c> removes its label.</summary>
    internal static async Task<Results<Ok<ImageDto>, ValidationProblem>> PatchAsync(
        string id, string imageId, JsonElement body, ClaimsPrincipal user, GalleryService gallery, CancellationToken ct)
    {
        if (body.ValueKind != JsonValueKind.Object || !TryGetLabel(body, out var label))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["label"] = ["Send {\"label\": \"class name\"}, or {\"label\": null} to remove the label."] });
        }

        var userId = user.GetUserId();
        await gallery.SetLabelAsync(userId, id, [imageId], label, ct);
        return TypedResults.Ok(ImageDto.From(await gallery.GetAsync(userId, id, imageId, ct)));
    }

    internal static async Task<NoContent> DeleteAsync(string id, string imageId, ClaimsPrincipal user, GalleryService gallery, CancellationToken ct)
    {
        await gallery.DeleteAsync(user.GetUserId(), id, [imageId], ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<BulkResult>> RelabelAsync(string id, BulkImagesRequest? request, ClaimsPrincipal user, GalleryService gallery, CancellationToken ct) =>
        TypedResults.Ok(new BulkResult(await gallery.SetLabelAsync(user.GetUserId(), id, request?.ImageIds ?? [], request?.Label, ct)));

    internal static async Task<Ok<BulkResult>> MoveAsync(string id, BulkImagesRequest? request, ClaimsPrincipal user, GalleryService gallery, CancellationToken ct) =>
        TypedResults.Ok(new BulkResult(await gallery.MoveAsync(user.GetUserId(), id, request?.ImageIds ?? [], request?.Label, ct)));

    internal static async Task<Ok<BulkResult>> DeleteManyAsync(string id, BulkImagesRequest? request, ClaimsPrincipal user, GalleryService gallery, CancellationToken ct) =>
        TypedResults.Ok(new BulkResult(await gallery.DeleteAsync(user.GetUserId(), id, request?.ImageIds ?? [], ct)));

    internal static async Task<FileStreamHttpResult> ContentAsync(string id, string imageId, HttpContext http, ClaimsPrincipal user, GalleryService gallery, CancellationToken ct) =>
        Serve(http, await gallery.OpenContentAsync(user.GetUserId(), id, imageId, ct));

    internal static async Task<FileStreamHttpResult> ThumbnailAsync(string id, string imageId, HttpContext http, ClaimsPrincipal user, GalleryService gallery, CancellationToken ct) =>
        Serve(http, await gallery.OpenThumbnailAsync(user.GetUserId(), id, imageId, ct));

    private static FileStreamHttpResult Serve(HttpContext http, ImageContent content)
    {
        http.Response.Headers.CacheControl = ImmutableCache;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(content.Content, content.ContentType, entityTag: new EntityTagHeaderValue($"\"{content.Sha256}\""));
    }

    private static bool TryGetLabel(JsonElement body, out string? label)
    {
        label = null;
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name.Equals("label", StringComparison.OrdinalIgnoreCase))
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Null:
                        return true;
                    case JsonValueKind.String:
                        label = property.Value.GetString();
                        return true;
                    default:
                        return false;
                }
            }
        }

        return false;
    }
}
