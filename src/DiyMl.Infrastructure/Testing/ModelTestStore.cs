using System.Linq.Expressions;
using DiyMl.Domain.Common;
using DiyMl.Domain.Testing;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Testing;

/// <summary>
/// Test runs in one collection and their per-image answers in another, so a run over thousands of
/// images stays a small document and one confusion-matrix cell is a plain filtered, sorted page.
/// </summary>
internal sealed class ModelTestStore : IModelTestStore
{
    private readonly IDocumentCollection<ModelTestRun> _runs;
    private readonly IDocumentCollection<TestPrediction> _predictions;
    private readonly Lazy<Task> _indexes;

    public ModelTestStore(IStorageEngine engine)
    {
        _runs = engine.Collection<ModelTestRun>("model_tests");
        _predictions = engine.Collection<TestPrediction>("model_test_predictions");
        _indexes = new Lazy<Task>(async () =>
        {
            await _runs.EnsureIndexAsync(r => r.ModelId);
            await _predictions.EnsureIndexAsync(p => p.RunId);
        });
    }

    public Task<ModelTestRun?> GetAsync(string runId, CancellationToken ct = default) =>
        Ids.IsValid(runId) ? _runs.GetAsync(runId, ct) : Task.FromResult<ModelTestRun?>(null);

    public async Task<IReadOnlyList<ModelTestRun>> ListForModelAsync(string modelId, CancellationToken ct = default)
    {
        await _indexes.Value;
        return await _runs.FindAsync(r => r.ModelId == modelId, new FindOptions<ModelTestRun>(r => r.CreatedAt, Descending: true), ct);
    }

    public async Task InsertAsync(ModelTestRun run, IReadOnlyCollection<TestPrediction> predictions, CancellationToken ct = default)
    {
        await _indexes.Value;
        foreach (var prediction in predictions)
        {
            prediction.RunId = run.Id;
            prediction.OwnerId = run.OwnerId;
        }

        // Answers first: a run that is visible always has its answers.
        if (predictions.Count > 0)
        {
            await _predictions.InsertManyAsync(predictions, ct);
        }

        await _runs.InsertAsync(run, ct);
    }

    public async Task<(IReadOnlyList<TestPrediction> Items, long Total)> PredictionsAsync(string runId, TestPredictionQuery query, CancellationToken ct = default)
    {
        await _indexes.Value;
        var filter = Filter(runId, query);
        var options = new FindOptions<TestPrediction>(p => p.Confidence, query.MostConfidentFirst, Math.Max(query.Skip, 0), Math.Clamp(query.Take, 1, 500));
        return (await _predictions.FindAsync(filter, options, ct), await _predictions.CountAsync(filter, ct));
    }

    public Task<TestPrediction?> GetPredictionAsync(string predictionId, CancellationToken ct = default) =>
        Ids.IsValid(predictionId) ? _predictions.GetAsync(predictionId, ct) : Task.FromResult<TestPrediction?>(null);

    public Task<bool> ReplacePredictionAsync(TestPrediction prediction, CancellationToken ct = default) => _predictions.ReplaceAsync(prediction, ct);

    public async Task DeleteForModelAsync(string modelId, CancellationToken ct = default)
    {
        foreach (var run in await ListForModelAsync(modelId, ct))
        {
            var id = run.Id;
            await _predictions.DeleteManyAsync(p => p.RunId == id, ct);
            await _runs.DeleteAsync(id, ct);
        }
    }

    // Only the conditions asked for, joined with &&, so both engines see a plain conjunction of
    // equality tests they can translate.
    private static Expression<Func<TestPrediction, bool>> Filter(string runId, TestPredictionQuery query)
    {
        Expression<Func<TestPrediction, bool>> filter = p => p.RunId == runId;
        if (query.TrueLabel is { } trueLabel)
        {
            filter = And(filter, p => p.TrueLabel == trueLabel);
        }

        if (query.PredictedLabel is { } predictedLabel)
        {
            filter = And(filter, p => p.PredictedLabel == predictedLabel);
        }

        if (query.Correct is { } correct)
        {
            filter = And(filter, p => p.Correct == correct);
        }

        return filter;
    }

    private static Expression<Func<TestPrediction, bool>> And(Expression<Func<TestPrediction, bool>> left, Expression<Func<TestPrediction, bool>> right)
    {
        var body = new Rebind(right.Parameters[0], left.Parameters[0]).Visit(right.Body);
        return Expression.Lambda<Func<TestPrediction, bool>>(Expression.AndAlso(left.Body, body), left.Parameters);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
