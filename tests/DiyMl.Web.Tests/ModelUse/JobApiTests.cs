using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Domain.Jobs;

namespace DiyMl.Web.Tests.ModelUse;

public sealed class JobApiTests(UsePortal portal) : IClassFixture<UsePortal>
{
    [Fact]
    public async Task A_prediction_job_answers_loose_images_and_zip_entries_downloadable_as_json_and_csv()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 31);
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in new[] { ("inside/red.png", ShapeImages.Png("red", 8)), ("inside/blue.png", ShapeImages.Png("blue", 9)), ("inside/readme.txt", "hello"u8.ToArray()) })
            {
                await using var entry = archive.CreateEntry(name).Open();
                await entry.WriteAsync(bytes);
            }
        }

        using var start = await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/prediction-jobs",
            MultipartBuilder.Files(("loose.png", ShapeImages.Png("blue", 10)), ("batch.zip", zip.ToArray())));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var started = await start.Content.ReadFromJsonAsync<JsonElement>();
        var jobId = started.GetProperty("id").GetString()!;
        Assert.Equal(("BatchPrediction", JsonValueKind.String), (started.GetProperty("kind").GetString(), started.GetProperty("status").ValueKind)); // as /api/jobs shows it

        var job = await portal.WaitForJobAsync(owner.UserId, jobId);
        Assert.Equal(JobStatus.Succeeded, job.Status);

        var results = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/models/{owner.Model.Id}/prediction-jobs/{jobId}/results");
        var byName = results.EnumerateArray().ToDictionary(r => r.GetProperty("fileName").GetString()!);
        Assert.Equal(4, byName.Count);
        Assert.Equal("blue", byName["loose.png"].GetProperty("label").GetString());
        Assert.Equal("red", byName["red.png"].GetProperty("label").GetString());
        Assert.Equal("blue", byName["blue.png"].GetProperty("label").GetString());
        Assert.False(string.IsNullOrEmpty(byName["readme.txt"].GetProperty("error").GetString()));

        var csv = ReportApiTests.ParseCsv(await owner.Client.GetStringAsync($"/api/models/{owner.Model.Id}/prediction-jobs/{jobId}/results?format=csv"));
        Assert.Equal(["fileName", "label", "confidence", "uncertain", "top", "error"], csv[0]);
        Assert.Equal("red", csv.Single(r => r[0] == "red.png")[1]);
        Assert.Equal(5, csv.Count);
    }

    [Fact]
    public async Task A_test_job_measures_the_model_reports_unknown_classes_and_filters_error_analysis_by_cell()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 32);
        var datasets = (Domain.Datasets.ImageIngestService)portal.Services.GetService(typeof(Domain.Datasets.ImageIngestService))!;
        var service = (Domain.Datasets.DatasetService)portal.Services.GetService(typeof(Domain.Datasets.DatasetService))!;
        var testSet = await service.CreateAsync(owner.UserId, "Test shapes", "");
        await datasets.IngestAsync(owner.UserId, testSet.Id, Enumerable.Range(0, 5).Select(i => ($"r{i}.png", (Stream)new MemoryStream(ShapeImages.Png("red", 5000 + i)))), "red");
        await datasets.IngestAsync(owner.UserId, testSet.Id, Enumerable.Range(0, 4).Select(i => ($"b{i}.png", (Stream)new MemoryStream(ShapeImages.Png("blue", 6000 + i)))), "blue");
        await datasets.IngestAsync(owner.UserId, testSet.Id, Enumerable.Range(0, 2).Select(i => ($"g{i}.png", (Stream)new MemoryStream(ShapeImages.Png("blue", 7000 + i)))), "green");

        using var start = await owner.Client.PostAsJsonAsync($"/api/models/{owner.Model.Id}/tests", new { datasetId = testSet.Id });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var started = await start.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ModelTest", started.GetProperty("kind").GetString());
        var job = await portal.WaitForJobAsync(owner.UserId, started.GetProperty("id").GetString()!);
        Assert.Equal(JobStatus.Succeeded, job.Status);

        var runs = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/models/{owner.Model.Id}/tests");
        var run = runs.GetProperty("items")[0];
        var evaluation = run.GetProperty("evaluation");
        Assert.Equal(9, evaluation.GetProperty("count").GetInt32());
        var matrix = evaluation.GetProperty("confusionMatrix").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
        var classes = evaluation.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!).ToList();
        var correct = Enumerable.Range(0, classes.Count).Sum(i => matrix[i][i]);
        Assert.Equal((double)correct / 9, evaluation.GetProperty("accuracy").GetDouble(), 6);
        Assert.Equal(2, evaluation.GetProperty("perClass").GetArrayLength());
        Assert.Equal("green", run.GetProperty("unknownClasses")[0].GetProperty("label").GetString());
        Assert.Equal(2, run.GetProperty("unknownClasses")[0].GetProperty("images").GetInt32());

        var runId = run.GetProperty("id").GetString();
        var red = classes.IndexOf("red");
        var cell = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/models/{owner.Model.Id}/tests/{runId}/predictions?actual=red&predicted=red");
        Assert.Equal(matrix[red][red], cell.GetProperty("total").GetInt32());
        Assert.All(cell.GetProperty("items").EnumerateArray(), i =>
        {
            Assert.Equal("red", i.GetProperty("trueLabel").GetString());
            Assert.Equal("red", i.GetProperty("predictedLabel").GetString());
        });
        var confidences = cell.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("confidence").GetDouble()).ToList();
        Assert.Equal(confidences.OrderByDescending(c => c), confidences);

        var wrong = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/models/{owner.Model.Id}/tests/{runId}/predictions?wrong=true");
        Assert.Equal(9 - correct + 2, wrong.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_test_needs_a_dataset_of_the_owner()
    {
        var alice = await portal.CreateTrainedUserAsync(seed: 33);
        var bob = await portal.CreateTrainedUserAsync(seed: 34);

        using var none = await alice.Client.PostAsJsonAsync($"/api/models/{alice.Model.Id}/tests", new { });
        using var bobs = await alice.Client.PostAsJsonAsync($"/api/models/{alice.Model.Id}/tests", new { datasetId = bob.DatasetId });

        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bobs.StatusCode);
    }
}
