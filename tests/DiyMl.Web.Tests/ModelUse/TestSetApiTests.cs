using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DiyMl.Web.Tests.ModelUse;

/// <summary>A test zip becomes a test set: not trained on unless the person turns it into a dataset.</summary>
public sealed class TestSetApiTests(UsePortal portal) : IClassFixture<UsePortal>
{
    [Fact]
    public async Task A_test_set_is_refused_for_training_until_it_is_turned_into_a_dataset()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 61);
        var zip = LabelledZip.Of([.. LabelledZip.Shapes(61_000, ("red", "red", 3), ("blue", "blue", 3))]);
        using var start = await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/tests", LabelledZip.Form("check.zip", zip));
        var answer = await start.Content.ReadFromJsonAsync<JsonElement>();
        var testSetId = answer.GetProperty("dataset").GetProperty("id").GetString()!;
        await portal.WaitForJobAsync(owner.UserId, answer.GetProperty("id").GetString()!);

        using var refused = await owner.Client.PostAsJsonAsync("/api/training-jobs", new { datasetId = testSetId });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("test set", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var badPurpose = await owner.Client.PatchAsJsonAsync($"/api/datasets/{testSetId}", new { name = "Renamed", purpose = "nonsense" });
        Assert.Equal(HttpStatusCode.BadRequest, badPurpose.StatusCode);
        var unchanged = await owner.Client.GetFromJsonAsync<JsonElement>($"/api/datasets/{testSetId}");
        Assert.StartsWith("Test pictures · ", unchanged.GetProperty("name").GetString(), StringComparison.Ordinal);

        using var turned = await owner.Client.PatchAsJsonAsync($"/api/datasets/{testSetId}", new { purpose = "training" });
        Assert.Equal("training", (await turned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("purpose").GetString());
        using var accepted = await owner.Client.PostAsJsonAsync("/api/training-jobs", new { datasetId = testSetId });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await portal.WaitForJobAsync(owner.UserId, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
    }
}
