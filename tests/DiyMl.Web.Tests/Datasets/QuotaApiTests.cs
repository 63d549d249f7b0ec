using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Quotas;
using DiyMl.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.Datasets;

/// <summary>A portal whose users may store 300,000 bytes.</summary>
public sealed class QuotaPortal : PortalFactory
{
    public const long Quota = 300_000;

    public QuotaPortal() => Settings["Datasets:QuotaBytesPerUser"] = Quota.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class QuotaApiTests(QuotaPortal portal) : IClassFixture<QuotaPortal>
{
    [Fact]
    public async Task Six_concurrent_uploads_of_190_KB_store_at_most_the_quota()
    {
        var client = await portal.CreateUserClientAsync();
        using var created = await client.PostAsJsonAsync("/api/datasets", new { name = "Quota race" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var files = Enumerable.Range(0, 6).Select(i => ApiImages.Noise(230 + i)).ToList();
        Assert.All(files, f => Assert.InRange(f.Length, 180_000, 200_000));

        var responses = await Task.WhenAll(files.Select(async (file, i) =>
        {
            using var response = await client.PostAsync($"/api/datasets/{id}/images", ApiImages.Form(null, ($"noise-{i}.png", file)));
            return response.StatusCode;
        }));

        var userId = (await portal.Services.GetRequiredService<IDatasetStore>().GetAsync(id!))!.OwnerId;
        var stored = await portal.Services.GetRequiredService<IImageStore>().SumSizeByOwnerAsync(userId);
        Assert.InRange(stored, 1, QuotaPortal.Quota);
        Assert.Equal(1, responses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(5, responses.Count(s => s == HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal(stored, await portal.Services.GetRequiredService<QuotaService>().UsedAsync(userId)); // no reservation leaked
    }
}
