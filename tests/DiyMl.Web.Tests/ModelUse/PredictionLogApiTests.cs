using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Domain.Predictions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.ModelUse;

/// <summary>The portal on a clock the test can move forward (expiry of kept pictures), with a small quota.</summary>
public sealed class KeepingPortal : UsePortal
{
    public const long Quota = 200_000;

    public KeepingPortal()
    {
        Settings["Datasets:QuotaBytesPerUser"] = Quota.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Settings["Predictions:KeepDays"] = "30";
    }

    public MovableClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>The system clock plus an offset the test sets; timers still run in real time.</summary>
public sealed class MovableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

public sealed class PredictionLogApiTests(KeepingPortal portal) : IClassFixture<KeepingPortal>
{
    [Fact]
    public async Task Pictures_are_kept_only_after_the_owner_switches_it_on_and_the_log_lists_them()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 51, perClass: 6);
        var log = $"/api/models/{owner.Model.Id}/prediction-log";

        var before = await PredictAsync(owner, ("off.png", ShapeImages.Png("red", 95001)));
        Assert.False(before[0].TryGetProperty("predictionId", out _));
        Assert.Equal(0, (await owner.Client.GetFromJsonAsync<JsonElement>(log)).GetProperty("total").GetInt64());

        using var on = await owner.Client.PatchAsJsonAsync($"/api/models/{owner.Model.Id}", new { keepPredictionImages = true });
        Assert.True((await on.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keepPredictionImages").GetBoolean());
        var answers = await PredictAsync(owner, ("disc.png", ShapeImages.Png("red", 95002)), ("square.png", ShapeImages.Png("blue", 95003)), ("bad.png", [1, 2, 3]));

        var kept = await owner.Client.GetFromJsonAsync<JsonElement>(log);
        Assert.Equal(2, kept.GetProperty("total").GetInt64());
        var items = kept.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(answers[1].GetProperty("predictionId").GetString(), items[0].GetProperty("id").GetString());
        Assert.Equal("blue", items[0].GetProperty("label").GetString());
        Assert.Equal("red", items[1].GetProperty("label").GetString());
        Assert.False(answers[2].TryGetProperty("predictionId", out _));

        using var picture = await owner.Client.GetAsync($"{log}/{items[0].GetProperty("id").GetString()}/content");
        Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
        Assert.Equal("image/png", picture.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ShapeImages.Png("blue", 95003), await picture.Content.ReadAsByteArrayAsync());

        var leastSure = await owner.Client.GetFromJsonAsync<JsonElement>($"{log}?order=leastSure");
        var confidences = leastSure.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("confidence").GetDouble()).ToList();
        Assert.Equal(confidences.Order(), confidences);
        using var badOrder = await owner.Client.GetAsync($"{log}?order=sideways");
        Assert.Equal(HttpStatusCode.BadRequest, badOrder.StatusCode);
    }

    [Fact]
    public async Task Kept_pictures_filed_into_a_class_join_the_dataset_and_a_strangers_ids_change_nothing()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 52, perClass: 6);
        var stranger = await portal.CreateTrainedUserAsync(seed: 53, perClass: 6);
        await owner.Client.PatchAsJsonAsync($"/api/models/{owner.Model.Id}", new { keepPredictionImages = true });
        var answers = await PredictAsync(owner, ("a.png", ShapeImages.Png("red", 95011)), ("b.png", ShapeImages.Png("red", 95012)));
        var ids = answers.Select(a => a.GetProperty("predictionId").GetString()!).ToArray();

        using var foreignLog = await stranger.Client.GetAsync($"/api/models/{owner.Model.Id}/prediction-log");
        using var foreignFile = await stranger.Client.PostAsJsonAsync($"/api/datasets/{stranger.DatasetId}/images/from-predictions", new { predictionIds = ids, label = "red" });
        using var foreignPicture = await stranger.Client.GetAsync($"/api/models/{owner.Model.Id}/prediction-log/{ids[0]}/content");
        Assert.Equal(HttpStatusCode.NotFound, foreignLog.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignFile.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignPicture.StatusCode);
        Assert.Equal(6, await ClassCountAsync(stranger, "red"));

        using var filed = await owner.Client.PostAsJsonAsync($"/api/datasets/{owner.DatasetId}/images/from-predictions", new { predictionIds = ids, label = "disc" });
        Assert.Equal(HttpStatusCode.OK, filed.StatusCode);
        var report = await filed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, report.GetProperty("accepted").GetInt32());
        Assert.Equal(2, await ClassCountAsync(owner, "disc"));

        // Filing the same pictures again is the upload's duplicate rule, not a second copy.
        using var again = await owner.Client.PostAsJsonAsync($"/api/datasets/{owner.DatasetId}/images/from-predictions", new { predictionIds = ids, label = "disc" });
        Assert.Equal(2, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicates").GetInt32());
        using var empty = await owner.Client.PostAsJsonAsync($"/api/datasets/{owner.DatasetId}/images/from-predictions", new { predictionIds = Array.Empty<string>(), label = "disc" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Kept_pictures_expire_after_the_configured_days_and_count_against_the_quota()
    {
        var owner = await portal.CreateTrainedUserAsync(seed: 54, perClass: 6);
        await owner.Client.PatchAsJsonAsync($"/api/models/{owner.Model.Id}", new { keepPredictionImages = true });
        var log = $"/api/models/{owner.Model.Id}/prediction-log";

        // Big, noisy pictures fill the small quota: once it is full, answers keep coming but nothing more is kept.
        var store = portal.Services.GetRequiredService<IKeptPredictionStore>();
        var big = Enumerable.Range(0, 8).Select(i => ($"big-{i}.jpg", Noise(95100 + i))).ToArray();
        Assert.True(big.Sum(b => b.Item2.Length) > KeepingPortal.Quota, "the pictures must be able to overfill the quota");
        var answers = await PredictAsync(owner, big);
        Assert.All(answers, a => Assert.False(string.IsNullOrEmpty(a.GetProperty("label").GetString())));
        var keptBytes = await store.SumBytesByOwnerAsync(owner.UserId);
        var imageBytes = (await portal.StoredStateAsync(owner)).StoredBytes;
        Assert.True(keptBytes > 0);
        Assert.True(imageBytes + keptBytes <= KeepingPortal.Quota, $"{imageBytes} + {keptBytes} > quota");
        var total = (await owner.Client.GetFromJsonAsync<JsonElement>(log)).GetProperty("total").GetInt64();
        Assert.InRange(total, 1, big.Length - 1);

        portal.Clock.Offset = TimeSpan.FromDays(31);
        try
        {
            // (A month later the bearer token has expired too, so ask the service the endpoint calls.)
            var listed = await portal.Services.GetRequiredService<PredictionLogService>()
                .ListAsync(owner.UserId, owner.Model.Id, null, PredictionLogOrder.Newest, 1, 50);
            Assert.Equal(0, listed.Total);
            Assert.True(await store.DeleteExpiredAsync(portal.Clock.GetUtcNow().UtcDateTime) >= total);
            Assert.Equal(0, await store.SumBytesByOwnerAsync(owner.UserId));
        }
        finally
        {
            portal.Clock.Offset = TimeSpan.Zero;
        }
    }

    /// <summary>A 300 px JPEG of random colours: ~100 KB that does not compress.</summary>
    private static byte[] Noise(int seed)
    {
        var random = new Random(seed);
        using var bitmap = new SkiaSharp.SKBitmap(300, 300);
        for (var y = 0; y < 300; y++)
        {
            for (var x = 0; x < 300; x++)
            {
                bitmap.SetPixel(x, y, new SkiaSharp.SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }

        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static async Task<List<JsonElement>> PredictAsync(TrainedUser owner, params (string Name, byte[] Bytes)[] files)
    {
        using var response = await owner.Client.PostAsync($"/api/models/{owner.Model.Id}/predictions", MultipartBuilder.Files(files));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
    }

    private static async Task<long> ClassCountAsync(TrainedUser user, string label)
    {
        var dataset = await user.Client.GetFromJsonAsync<JsonElement>($"/api/datasets/{user.DatasetId}");
        return dataset.GetProperty("classes").EnumerateArray().Where(c => c.GetProperty("name").GetString() == label).Select(c => c.GetProperty("count").GetInt64()).SingleOrDefault();
    }
}
