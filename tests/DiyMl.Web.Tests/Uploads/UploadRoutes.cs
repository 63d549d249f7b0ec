using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Web.Tests.ModelUse;

namespace DiyMl.Web.Tests.Uploads;

/// <summary>
/// The portal with one trained, published model and a dataset: everything the routes that take
/// files need to reach their upload code. Built once per test class.
/// </summary>
public sealed class UploadPortal : UsePortal, IAsyncLifetime
{
    private TrainedUser? _owner;
    private string? _publicationId;

    // These tests send hundreds of requests a minute to one model; the rate limits have their own tests.
    public UploadPortal()
    {
        Settings["PredictionJobs:PerCallerPerMinute"] = "100000";
        Settings["PredictionJobs:PerModelPerMinute"] = "100000";
    }

    public TrainedUser Owner => _owner ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>Every route that takes files, as a script would call it.</summary>
    public IReadOnlyList<string> FileRoutes =>
    [
        $"/api/datasets/{Owner.DatasetId}/images",
        $"/api/models/{Owner.Model.Id}/predictions",
        $"/api/published-models/{_publicationId}/predictions",
        $"/api/models/{Owner.Model.Id}/prediction-jobs",
        $"/api/models/{Owner.Model.Id}/tests",
    ];

    /// <summary>Files of the blob store (content-addressed images, thumbnails, uploads, results) and their bytes; spool files excluded.</summary>
    public (int Count, long Bytes) Blobs()
    {
        var root = Path.Combine(DataDirectory, "blobs");
        var files = Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetRelativePath(root, f).StartsWith("tmp", StringComparison.Ordinal))
                .Select(f => new FileInfo(f).Length)
                .ToList()
            : [];
        return (files.Count, files.Sum());
    }

    /// <summary>The names of the stored blobs (their SHA-256), spool files excluded.</summary>
    public IReadOnlySet<string> BlobNames()
    {
        var root = Path.Combine(DataDirectory, "blobs");
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetRelativePath(root, f).StartsWith("tmp", StringComparison.Ordinal))
                .Select(Path.GetFileName)
                .ToHashSet(StringComparer.Ordinal)!
            : new HashSet<string>();
    }

    /// <summary>
    /// One blob sweep as it will run once the grace period has passed (its clock two hours ahead):
    /// what a half-done request stored and nothing refers to goes.
    /// </summary>
    public Task SweepPastGraceAsync() =>
        new DiyMl.Infrastructure.Blobs.BlobSweeper(
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DiyMl.Infrastructure.Blobs.ISweepableBlobStore>(Services),
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetServices<DiyMl.Domain.Common.IBlobReferenceSource>(Services),
            Microsoft.Extensions.Options.Options.Create(new DiyMl.Infrastructure.Cleanup.BlobSweepOptions()),
            new AheadClock(TimeSpan.FromHours(2)),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DiyMl.Infrastructure.Blobs.BlobSweeper>.Instance).SweepAsync(CancellationToken.None);

    private sealed class AheadClock(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await base.InitializeAsync();
        _owner = await CreateTrainedUserAsync(seed: 71, perClass: 8);
        using var publish = await _owner.Client.PostAsJsonAsync($"/api/models/{_owner.Model.Id}/publish", new { name = "Uploads " + Guid.NewGuid().ToString("N")[..8], description = "upload limits" });
        publish.EnsureSuccessStatusCode();
        _publicationId = (await publish.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
    }
}
