using System.Diagnostics;
using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Models;
using DiyMl.Domain.Publishing;
using DiyMl.Domain.Testing;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Storage;
using DiyMl.Infrastructure.Tests.Storage;
using CleanupPass = DiyMl.Infrastructure.Cleanup.Cleanup;

namespace DiyMl.Infrastructure.Tests.Cleanup;

/// <summary>
/// Kills a portal process (SIGKILL) at a random moment during a multi-step edit, 20 times, each
/// time restarting it on the same data (start-up finishes interrupted edits). Afterwards, once
/// the grace period has passed: every image's label is a listed class or none, every count
/// matches, nothing is half-deleted and no blob or temp file is left that nothing uses.
/// </summary>
public abstract class EditCrashTests : IDisposable
{
    private const int Rounds = 20;
    private const string User = "crash-user";
    private readonly TempDirectory _dir = new();

    protected abstract string Scenario { get; }

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_kill_at_any_moment_leaves_nothing_hidden_half_done_or_orphaned()
    {
        var (killedMidway, resumed) = await CrashRepeatedlyAsync();

        using var host = new StorageHost(_dir.Path, new ManualClock());
        host.Clock.Advance(TimeSpan.FromDays(2)); // past the blob grace period and the temp-file age
        resumed += (await host.Get<CleanupPass>().RunAsync(atStartup: true, default)).OperationsResumed;

        Assert.Equal(Rounds - 1, killedMidway);
        Assert.True(Scenario == "upload" || resumed > 0, "no interrupted edit was ever resumed");
        Assert.Empty(await host.Get<IOperationStore>().ListAsync(DateTime.MaxValue));
        await AssertDatasetsConsistentAsync(host);
        await AssertModelsWholeOrGoneAsync(host);
        await AssertNoOrphansAsync(host);
    }

    // The child kills itself (SIGKILL) right after a write of the edit picked at random here:
    // every step boundary is as likely as another, whatever the machine's load. An upload's number
    // of writes varies by one or two with timing (quota reservations overlap the stores), so a
    // round whose edit ended before the picked write is not a kill: it narrows the range and the
    // round is run again.
    private async Task<(int KilledMidway, int Resumed)> CrashRepeatedlyAsync()
    {
        var killedMidway = 0;
        var resumed = 0;
        var writes = 0;
        for (var round = 0; killedMidway < Rounds - 1; round++)
        {
            Assert.True(round < 3 * Rounds, $"only {killedMidway} of {Rounds - 1} rounds were killed midway in {round} runs");

            // The first edit runs to the end: its number of writes sets the range the kills fall in.
            var killAfter = round == 0 ? 0 : Random.Shared.Next(1, writes + 1);
            using var child = Start(_dir.Path, killAfter);
            var errors = child.StandardError.ReadToEndAsync();
            var output = await child.StandardOutput.ReadToEndAsync();
            await child.WaitForExitAsync();
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(lines is [var first, "GO", ..] && first.StartsWith("RESUMED ", StringComparison.Ordinal), $"child failed: {output} {await errors}");
            resumed += int.Parse(lines[0][8..]);
            if (lines is [_, _, var done] && done.StartsWith("DONE ", StringComparison.Ordinal))
            {
                var made = int.Parse(done[5..]);
                Assert.True(round == 0 || made < killAfter, $"round {round} made {made} writes and was not killed after write {killAfter}");
                writes = round == 0 ? made : Math.Min(writes, made);
            }
            else
            {
                Assert.NotEqual(0, child.ExitCode);
                killedMidway++;
            }

            Assert.True(writes > 1, $"the edit wrote {writes} times: {output} {await errors}");
        }

        return (killedMidway, resumed);
    }

    private async Task AssertDatasetsConsistentAsync(StorageHost host)
    {
        var datasets = await host.Get<IDatasetStore>().ListByOwnerAsync(User);
        var images = await host.Get<IStorageEngine>().Collection<ImageAsset>("images").FindAsync(_ => true);
        var ids = datasets.Select(d => d.Id).ToHashSet();
        Assert.All(images, i => Assert.Contains(i.DatasetId, ids)); // no image outlives its dataset

        foreach (var dataset in datasets)
        {
            var own = images.Where(i => i.DatasetId == dataset.Id).ToList();
            var unlisted = own.Where(i => i.Label is not null && !dataset.Classes.Contains(i.Label)).Select(i => i.Label).Distinct();
            Assert.Empty(unlisted);
            var summary = await host.Get<DatasetService>().GetSummaryAsync(User, dataset.Id);
            Assert.Equal(own.Count, summary.ImageCount);
            Assert.Equal(summary.ImageCount, summary.Classes.Sum(c => c.Count) + summary.UnlabelledCount);
            switch (dataset.Name)
            {
                case "merge":
                    Assert.Equal(5 * 8, own.Count);
                    Assert.True(dataset.Classes.SequenceEqual(["cat", "dog", "horse", "cow", "fish"]) || dataset.Classes.SequenceEqual(["mammal", "fish"]),
                        $"a half-done merge: {string.Join(", ", dataset.Classes)}");
                    break;
                case "doomed" or "trained":
                    Assert.Equal(dataset.Classes.Count * 8, own.Count);
                    break;
            }
        }
    }

    private static async Task AssertModelsWholeOrGoneAsync(StorageHost host)
    {
        var engine = host.Get<IStorageEngine>();
        var models = (await engine.Collection<TrainedModel>("models").FindAsync(_ => true)).Select(m => m.Id).ToHashSet();
        var publications = await host.Get<IPublicationStore>().ListAsync(User, 0, 1000);
        Assert.All(publications.Items, p => Assert.Contains(p.ModelId, models));
        var runs = await engine.Collection<ModelTestRun>("model_tests").FindAsync(_ => true);
        Assert.All(runs, r => Assert.Contains(r.ModelId, models));
        var runIds = runs.Select(r => r.Id).ToHashSet();
        Assert.All(await engine.Collection<TestPrediction>("model_test_predictions").FindAsync(_ => true), p => Assert.Contains(p.RunId, runIds));
        foreach (var model in models)
        {
            Assert.NotNull(await host.Get<IPublicationStore>().FindByModelAsync(model)); // not half-deleted
        }
    }

    private async Task AssertNoOrphansAsync(StorageHost host)
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in host.Get<IEnumerable<IBlobReferenceSource>>())
        {
            await source.AddReferencesAsync(referenced, default);
        }

        var stored = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in host.Get<ISweepableBlobStore>().ListAsync(default))
        {
            stored.Add(blob.Sha256);
        }

        Assert.Empty(stored.Except(referenced)); // orphans
        Assert.Empty(referenced.Except(stored)); // lost content
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir.Path, "blobs", "tmp")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir.Path, "spool"), "diyml-*"));
    }

    private Process Start(string dataDirectory, int killAfter)
    {
        var dll = Path.Combine(RepoPaths.Root, "tests", "DiyMl.CrashWriter", "bin", RepoPaths.Configuration, "net10.0", "DiyMl.CrashWriter.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { dll, "edit", Scenario, dataDirectory, killAfter.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }
}

public sealed class MergeCrashTests : EditCrashTests
{
    protected override string Scenario => "merge";
}

public sealed class DatasetDeleteCrashTests : EditCrashTests
{
    protected override string Scenario => "dataset-delete";
}

public sealed class ModelDeleteCrashTests : EditCrashTests
{
    protected override string Scenario => "model-delete";
}

public sealed class ZipUploadCrashTests : EditCrashTests
{
    protected override string Scenario => "upload";
}
