using DiyMl.Domain.Testing;
using DiyMl.Infrastructure.Testing;

namespace DiyMl.Infrastructure.Tests.Testing;

public sealed class ModelTestStoreTests : IDisposable
{
    private readonly TempLiteDb _db = new();
    private readonly ModelTestStore _store;

    public ModelTestStoreTests() => _store = new ModelTestStore(_db.Engine);

    [Fact]
    public async Task One_confusion_matrix_cell_lists_only_its_images_most_confidently_wrong_first()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = new ModelTestRun { OwnerId = "alice", ModelId = "aaaaaaaaaaaaaaaaaaaaaaaa", CreatedAt = DateTime.UtcNow };
        await _store.InsertAsync(run,
        [
            Answer("cat", "dog", 0.61), Answer("cat", "dog", 0.97), Answer("cat", "cat", 0.99),
            Answer("dog", "cat", 0.88), Answer("dog", "dog", 0.7),
        ], ct);

        var (items, total) = await _store.PredictionsAsync(run.Id, new TestPredictionQuery("cat", "dog"), ct);

        Assert.Equal(2, total);
        Assert.Equal([0.97, 0.61], items.Select(i => i.Confidence));
        Assert.All(items, i => Assert.Equal("alice", i.OwnerId));
    }

    [Fact]
    public async Task Wrong_answers_across_all_cells_sort_by_confidence()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = new ModelTestRun { OwnerId = "alice", ModelId = "aaaaaaaaaaaaaaaaaaaaaaaa", CreatedAt = DateTime.UtcNow };
        await _store.InsertAsync(run, [Answer("cat", "dog", 0.61), Answer("dog", "cat", 0.88), Answer("dog", "dog", 0.99)], ct);

        var (items, total) = await _store.PredictionsAsync(run.Id, new TestPredictionQuery(Correct: false), ct);

        Assert.Equal(2, total);
        Assert.Equal([0.88, 0.61], items.Select(i => i.Confidence));
        Assert.Single(await _store.ListForModelAsync("aaaaaaaaaaaaaaaaaaaaaaaa", ct));
    }

    [Fact]
    public async Task Deleting_a_models_tests_removes_runs_and_answers()
    {
        var ct = TestContext.Current.CancellationToken;
        var run = new ModelTestRun { OwnerId = "alice", ModelId = "aaaaaaaaaaaaaaaaaaaaaaaa", CreatedAt = DateTime.UtcNow };
        await _store.InsertAsync(run, [Answer("cat", "dog", 0.61)], ct);

        await _store.DeleteForModelAsync(run.ModelId, ct);

        Assert.Empty(await _store.ListForModelAsync(run.ModelId, ct));
        Assert.Equal(0, (await _store.PredictionsAsync(run.Id, new TestPredictionQuery(), ct)).Total);
    }

    public void Dispose() => _db.Dispose();

    private static TestPrediction Answer(string truth, string predicted, double confidence) => new()
    {
        ImageId = "bbbbbbbbbbbbbbbbbbbbbbbb",
        FileName = "x.png",
        TrueLabel = truth,
        PredictedLabel = predicted,
        Confidence = confidence,
        Correct = truth == predicted,
        KnownClass = true,
    };
}
