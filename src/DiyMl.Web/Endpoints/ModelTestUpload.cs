using System.Text.Json;
using System.Text.Json.Nodes;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Testing;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
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
    public static bool IsMultipart(HttpRequest request) => MultipartUpload.IsMultipart(request);

    public static async Task<Results<Accepted<JobDto>, Accepted<JsonObject>, ProblemHttpResult>> StartAsync(
        string modelId, HttpContext http, ArchiveTestService archives, DatasetOptions options, JsonSerializerOptions json, CancellationToken ct)
    {
        var prepared = default(PreparedArchiveTest);
        var extraFiles = false;
        try
        {
            await MultipartUpload.ReadAsync(http, options.MaxUploadBytes, async file =>
            {
                if (prepared is null)
                {
                    prepared = await archives.PrepareAsync(http.User.GetUserId(), modelId, file.FileName, file.Body, ct);
                }
                else
                {
                    extraFiles = true; // the rest of the body is still read, so the client sees the answer, not a reset
                }
            }, onField: null, ct);
        }
        catch
        {
            await DiscardAsync(archives, prepared);
            throw;
        }

        if (extraFiles)
        {
            await DiscardAsync(archives, prepared);
            return TypedResults.Problem(title: "The request is not valid",
                detail: "Send exactly one zip file; put all the test pictures, one folder per class, in that one zip.", statusCode: StatusCodes.Status400BadRequest);
        }

        var job = await archives.StartAsync(prepared!, ct);
        var body = JsonSerializer.SerializeToNode(JobDto.From(job), json)!.AsObject();
        body["dataset"] = new JsonObject { ["id"] = prepared!.Dataset.Id, ["name"] = prepared.Dataset.Name };
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
}
