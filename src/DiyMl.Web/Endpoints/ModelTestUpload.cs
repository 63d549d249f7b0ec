using System.Text.Json;
using System.Text.Json.Nodes;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Testing;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace DiyMl.Web.Endpoints;

/// <summary>
/// The multipart form of <c>POST /api/models/{id}/tests</c>: one zip of labelled folders (field
/// <c>file</c>, or any single file field) becomes a new dataset, and the test runs on it. The
/// body is streamed, never buffered whole, under the same limits as a dataset upload. The answer
/// is the job (as for the JSON form) plus <c>dataset</c> and the per-file <c>upload</c> report.
/// </summary>
internal static class ModelTestUpload
{
    public static bool IsMultipart(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
        && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    public static async Task<Results<Accepted<JobDto>, Accepted<JsonObject>, ProblemHttpResult>> StartAsync(
        string modelId, HttpContext http, ArchiveTestService archives, DatasetOptions options, JsonSerializerOptions json, CancellationToken ct)
    {
        if (!MultipartUpload.FitsLimit(http, options.MaxUploadBytes))
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Too large",
                $"The upload is larger than {options.MaxUploadBytes / (1024 * 1024):N0} MB; test on a smaller zip, or upload it to a dataset in parts and test on that dataset.");
        }

        if (MultipartUpload.Boundary(http.Request) is not { } boundary)
        {
            return Malformed("the Content-Type header names no multipart boundary.");
        }

        var prepared = default(PreparedArchiveTest);
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                {
                    continue;
                }

                if (prepared is not null)
                {
                    await archives.DiscardAsync(prepared);
                    return Problem(StatusCodes.Status400BadRequest, "The request is not valid",
                        "Send exactly one zip file; put all the test pictures, one folder per class, in that one zip.");
                }

                prepared = await archives.PrepareAsync(http.User.GetUserId(), modelId, MultipartUpload.FileName(disposition), section.Body, ct);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException && e is not BadHttpRequestException)
        {
            await DiscardAsync(archives, prepared);
            return Malformed(e.Message);
        }
        catch
        {
            await DiscardAsync(archives, prepared);
            throw;
        }

        if (prepared is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "The request is not valid",
                "No file was sent; put the zip of labelled folders in the multipart field 'file'.");
        }

        var job = await archives.StartAsync(prepared, ct);
        var body = JsonSerializer.SerializeToNode(JobDto.From(job), json)!.AsObject();
        body["dataset"] = new JsonObject { ["id"] = prepared.Dataset.Id, ["name"] = prepared.Dataset.Name };
        body["upload"] = JsonSerializer.SerializeToNode(prepared.Upload, json);
        http.Response.Headers["X-Dataset-Location"] = $"/api/datasets/{prepared.Dataset.Id}";
        return TypedResults.Accepted($"/api/jobs/{job.Id}", body);
    }

    /// <summary>Shows the multipart form in the OpenAPI document as what it is: one binary file.</summary>
    public static Task DocumentAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (operation.RequestBody?.Content is { } content && content.ContainsKey("multipart/form-data"))
        {
            content["multipart/form-data"] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "file" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["file"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.String,
                            Format = "binary",
                            Description = "A zip with one folder per class; the folder name is the class.",
                        },
                    },
                },
            };
        }

        return Task.CompletedTask;
    }

    private static Task DiscardAsync(ArchiveTestService archives, PreparedArchiveTest? prepared) =>
        prepared is null ? Task.CompletedTask : archives.DiscardAsync(prepared);

    private static ProblemHttpResult Malformed(string reason) =>
        Problem(StatusCodes.Status400BadRequest, "The request could not be read", $"The multipart body is malformed: {reason}");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
