using System.Text.Json;
using DiyMl.Domain.Predictions;
using DiyMl.Domain.Testing;
using DiyMl.Web.Components.Shared;

namespace DiyMl.Web.Components.Pages.Jobs;

/// <summary>A finished test's or batch prediction's result as the jobs list says it: plain words, no field names.</summary>
public static class JobResultText
{
    public static ModelTestResult? Test(string? resultJson) => Read<ModelTestResult>(resultJson);

    public static string TestSentence(ModelTestResult result) =>
        $"{Words.Percent(result.Accuracy)} right on {Words.Count(result.Images, "picture")}";

    public static string? Batch(string? resultJson) => Read<BatchPredictionResult>(resultJson) is { } r
        ? $"{Words.Count(r.Answered, "picture")} answered" + (r.Failed > 0 ? $", {r.Failed:N0} could not be read" : "")
        : null;

    // Results are stored with the web (camelCase) options; an old or odd result shows no sentence rather than failing the list.
    private static T? Read<T>(string? json) where T : class
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
