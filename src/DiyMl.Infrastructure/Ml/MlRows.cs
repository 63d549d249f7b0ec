using Microsoft.ML;
using Microsoft.ML.Data;

namespace DiyMl.Infrastructure.Ml;

/// <summary>A featurized, labelled image as ML.NET sees it.</summary>
internal sealed class FeatureRow
{
    public string Label { get; set; } = "";

    public float[] Features { get; set; } = [];
}

/// <summary>Input of a loaded head at prediction time.</summary>
internal sealed class PredictRow
{
    public float[] Features { get; set; } = [];
}

internal sealed class ScoreRow
{
    public float[] Score { get; set; } = [];
}

internal sealed class LabelRow
{
    public string Label { get; set; } = "";
}

internal static class MlSchemas
{
    public static SchemaDefinition For<T>(FeatureSpec spec)
    {
        var schema = SchemaDefinition.Create(typeof(T));
        schema[nameof(FeatureRow.Features)].ColumnType = spec.ColumnType;
        return schema;
    }
}

internal static class CachedRows
{
    /// <summary>
    /// Rows loaded once into ML.NET's column cache. Single-threaded L-BFGS streams its training
    /// view on every pass of the optimiser (hundreds per fit); through the cache a pass reads
    /// stored columns instead of re-running the enumerable's getters and the label-key mapping
    /// for every row. Same rows, same order: the same model.
    /// </summary>
    public static IDataView LoadCached(this HeadSession session, IEnumerable<FeatureRow> rows) => session.Ml.Data.Cache(session.Load(rows));
}
