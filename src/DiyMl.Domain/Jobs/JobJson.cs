using System.Text.Json;

namespace DiyMl.Domain.Jobs;

/// <summary>
/// The one place job inputs and results become JSON, with the web's camelCase options, so what
/// is stored is what scripts read in <c>result</c>. Reading is case-insensitive, so documents
/// written before this (PascalCase training inputs) still load.
/// </summary>
public static class JobJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string? json, string what) =>
        (string.IsNullOrWhiteSpace(json) ? default : JsonSerializer.Deserialize<T>(json, Options))
        ?? throw new InvalidOperationException($"The job has no {what}.");

    public static T Input<T>(Job job) => Read<T>(job.InputJson, "input");

    public static T Result<T>(Job job) => Read<T>(job.ResultJson, "result");
}
