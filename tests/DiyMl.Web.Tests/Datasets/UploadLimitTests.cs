using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Web.Tests.Infrastructure;

namespace DiyMl.Web.Tests.Datasets;

/// <summary>A portal with tiny limits, so quota and request-size answers can be seen.</summary>
public sealed class SmallLimitsPortal : PortalFactory
{
    public SmallLimitsPortal()
    {
        Settings["Datasets:QuotaBytesPerUser"] = "4096";
        Settings["Datasets:MaxUploadBytes"] = "65536";
    }
}

public sealed class UploadLimitTests(SmallLimitsPortal portal) : IClassFixture<SmallLimitsPortal>
{
    private static async Task<string> CreateDatasetAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/datasets", new { name = "Limits" });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Upload_over_the_quota_answers_413_with_the_reason()
    {
        var client = await portal.CreateUserClientAsync();
        var id = await CreateDatasetAsync(client);

        using var response = await client.PostAsync($"/api/datasets/{id}/images", ApiImages.Form(null, ("noise.png", ApiImages.Noise(60))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("quota", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}")).GetProperty("imageCount").GetInt32());
    }

    [Fact]
    public async Task Request_larger_than_the_upload_limit_answers_413()
    {
        var client = await portal.CreateUserClientAsync();
        var id = await CreateDatasetAsync(client);

        using var response = await client.PostAsync($"/api/datasets/{id}/images", ApiImages.Form(null, ("big.bin", new byte[100_000])));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
