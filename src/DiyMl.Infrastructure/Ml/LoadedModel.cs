using System.Collections.Concurrent;
using DiyMl.Domain.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// A model loaded once: its metadata, head and a small pool of PredictionEngines (an engine is
/// not thread-safe, creating one costs more than a prediction).
/// </summary>
internal sealed class LoadedModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _head;
    private readonly SchemaDefinition _inputSchema;
    private readonly ConcurrentBag<PredictionEngine<PredictRow, ScoreRow>> _pool = [];
    private readonly int _maxPooled = Math.Max(4, Environment.ProcessorCount * 2);

    public LoadedModel(MLContext ml, ModelMetadata metadata, ITransformer head)
    {
        _ml = ml;
        _head = head;
        Metadata = metadata;
        _inputSchema = MlSchemas.For<PredictRow>(metadata.Spec);
    }

    public ModelMetadata Metadata { get; }

    /// <summary>Scores for every class, best first.</summary>
    public IReadOnlyList<ScoredLabel> Score(float[] features)
    {
        if (!_pool.TryTake(out var engine))
        {
            engine = _ml.Model.CreatePredictionEngine<PredictRow, ScoreRow>(_head, inputSchemaDefinition: _inputSchema);
        }

        try
        {
            var raw = engine.Predict(new PredictRow { Features = features }).Score;

            // Calibrated confidences; a model without calibration (T = 1) keeps its scores bit for bit.
            var scores = Metadata.Temperature == 1 ? [.. raw.Select(s => (double)s)] : Calibration.Apply(raw, Metadata.Temperature);
            return [.. Metadata.Classes
                .Select((label, i) => new ScoredLabel(label, i < scores.Length ? scores[i] : 0))
                .OrderByDescending(s => s.Score)
                .ThenBy(s => s.Label, StringComparer.Ordinal)];
        }
        finally
        {
            if (_pool.Count < _maxPooled)
            {
                _pool.Add(engine);
            }
            else
            {
                engine.Dispose();
            }
        }
    }
}
