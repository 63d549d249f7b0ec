using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DiyMl.Web.Tests.ModelUse;

public sealed class ReportApiTests(UsePortal portal) : IClassFixture<UsePortal>
{
    [Fact]
    public async Task Report_counts_what_was_predicted_and_the_csv_matches_the_json()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 21);
        var script = await portal.CreateKeyClientAsync(owner.Client);
        await owner.Client.PostAsJsonAsync($"/api/models/{owner.Model.Id}/publish", new { name = "Reported" });
        using (await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/predictions",
            MultipartBuilder.Files(("r1.png", ShapeImages.Png("red", 1)), ("r2.png", ShapeImages.Png("red", 2)), ("b1.png", ShapeImages.Png("blue", 3)))))
        {
        }

        using (await script.PostAsync($"/api/models/{owner.Model.Id}/predictions", MultipartBuilder.Files(("b2.png", ShapeImages.Png("blue", 4)))))
        {
        }

        var report = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/models/{owner.Model.Id}/report");
        var usage = report.GetProperty("usage");
        Assert.Equal(4, usage.GetProperty("total").GetInt64());
        Assert.Equal(4, usage.GetProperty("perDay").EnumerateArray().Last().GetProperty("count").GetInt64());
        var channels = usage.GetProperty("byChannel").EnumerateArray().ToDictionary(c => c.GetProperty("channel").ToString(), c => c.GetProperty("count").GetInt64());
        Assert.Equal(3, channels.Single(c => c.Key is "Bearer" or "2").Value);
        Assert.Equal(1, channels.Single(c => c.Key is "ApiKey" or "1").Value);
        var classes = usage.GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("label").GetString()!, c => c.GetProperty("count").GetInt64());
        Assert.Equal(2, classes["red"]);
        Assert.Equal(2, classes["blue"]);
        Assert.Equal(4, usage.GetProperty("confidence").EnumerateArray().Sum(b => b.GetProperty("count").GetInt64()));
        Assert.True(usage.GetProperty("latency").GetProperty("p50").GetDouble() > 0);

        var csv = await owner.Client.GetStringAsync($"/api/models/{owner.Model.Id}/report?format=csv");
        var rows = ParseCsv(csv);
        Assert.Equal(["section", "key", "value"], rows[0]);
        string Value(string section, string key) => rows.Single(r => r[0] == section && r[1] == key)[2];
        Assert.Equal("4", Value("usage", "total"));
        Assert.Equal("2", Value("classes", "red"));
        Assert.Equal(report.GetProperty("validation").GetProperty("accuracy").GetDouble(), double.Parse(Value("validation", "accuracy"), CultureInfo.InvariantCulture));
        Assert.Equal(usage.GetProperty("latency").GetProperty("p95").GetDouble(), double.Parse(Value("latency", "p95"), CultureInfo.InvariantCulture));
        Assert.Equal(owner.Model.Id, Value("training", "modelId"));
        foreach (var day in usage.GetProperty("perDay").EnumerateArray())
        {
            Assert.Equal(day.GetProperty("count").GetInt64().ToString(CultureInfo.InvariantCulture), Value("perDay", day.GetProperty("day").GetString()!));
        }
    }

    [Fact]
    public async Task Overview_lists_each_model_with_its_predictions_and_bad_parameters_are_400()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 22);
        using (await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/predictions", MultipartBuilder.Files(("r1.png", ShapeImages.Png("red", 1)))))
        {
        }

        var overview = await owner.Client.GetFromJsonAsync<JsonElement>("/api/reports");
        var row = overview.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(owner.Model.Id, row.GetProperty("modelId").GetString());
        Assert.Equal(1, row.GetProperty("predictions7Days").GetInt64());
        Assert.Equal(1, row.GetProperty("predictions30Days").GetInt64());

        using var badFormat = await owner.Client.GetAsync($"/api/models/{owner.Model.Id}/report?format=xml");
        using var badDays = await owner.Client.GetAsync($"/api/models/{owner.Model.Id}/report?days=0");
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badDays.StatusCode);
    }

    [Fact]
    public async Task Admin_totals_are_for_administrators_only()
    {
        var user = await portal.CreateUserClientAsync();

        using var response = await user.GetAsync("/api/admin/usage");

        // The very first account of a fresh portal is the administrator; every test user after is not.
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.OK });
    }

    internal static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }
}
