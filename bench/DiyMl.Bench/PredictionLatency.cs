using System.Diagnostics;
using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml;

namespace DiyMl.Bench;

/// <summary>In-process prediction of one 224-px JPEG through IModelPredictor: latency for one caller, throughput for four.</summary>
internal static class PredictionLatency
{
    public static async Task MeasureAsync(Report report, MlModelPredictor predictor, ModelHandle model, byte[] jpeg, int count)
    {
        await predictor.PredictAsync(model, [jpeg], CancellationToken.None); // load and warm up
        var latencies = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await predictor.PredictAsync(model, [jpeg], CancellationToken.None);
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        double At(double q) => latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < count / 4; i++)
            {
                await predictor.PredictAsync(model, [jpeg], CancellationToken.None);
            }
        })));
        var rate = count / 4 * 4 / total.Elapsed.TotalSeconds;
        report.Line($"- one caller, {count} predictions: p50 {At(0.5):F1} ms, p95 {At(0.95):F1} ms, p99 {At(0.99):F1} ms; four concurrent callers: {rate:F1} predictions/s");
    }
}
