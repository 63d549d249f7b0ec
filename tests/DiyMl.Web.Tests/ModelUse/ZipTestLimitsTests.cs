using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DiyMl.Web.Tests.ModelUse;

/// <summary>A model-use portal with tiny upload limits, so a test zip over them can be sent.</summary>
public sealed class TightZipPortal : UsePortal
{
    public TightZipPortal()
    {
        Settings["Datasets:MaxUploadBytes"] = "65536";
        Settings["Datasets:MaxZipEntries"] = "3";
    }
}

/// <summary>A test zip meets the same limits as a dataset upload and leaves nothing behind when over them.</summary>
public sealed class ZipTestLimitsTests(TightZipPortal portal) : IClassFixture<TightZipPortal>
{
    [Fact]
    public async Task A_zip_over_the_limits_is_refused_like_a_dataset_upload_and_leaves_no_dataset_behind()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 61);
        var before = await portal.StoredStateAsync(owner);
        var url = $"/api/models/{owner.Model.Id}/tests";
        var noise = new byte[100_000];
        new Random(61).NextBytes(noise);

        using var tooLarge = await owner.Client.PostAsync(url, LabelledZip.Form("big.zip", LabelledZip.Of(("red/noise.png", noise))));
        using var tooMany = await owner.Client.PostAsync(url, LabelledZip.Form("many.zip", LabelledZip.Of(LabelledZip.Shapes(61_000, ("red", "red", 3), ("blue", "blue", 2)))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("at most 3 are accepted", (await tooMany.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await portal.StoredStateAsync(owner));
    }
}
