using System.Diagnostics;
using DiyMl.Infrastructure.Imaging;
using DiyMl.Infrastructure.Ml;
using Microsoft.ML.OnnxRuntime;

namespace DiyMl.Bench;

/// <summary>
/// Where a lone prediction's time goes and which ONNX Runtime session options cut it (issue 15's
/// REST aim): the upload check, decode + letterbox, and the INT8 feature graph under each option
/// set, all in interleaved rounds beside the bare FP32 network (2 threads), so a busy machine
/// slows every column alike and the ratios stay fair.
/// </summary>
internal static class SessionStudy
{
    private sealed record Variant(string Name, int Threads, bool Spinning, GraphOptimizationLevel Level, bool Preallocated = false);

    private static readonly Variant[] Variants =
    [
        new("2 threads, spinning (as shipped)", 2, true, GraphOptimizationLevel.ORT_ENABLE_ALL),
        new("2 threads, no spinning", 2, false, GraphOptimizationLevel.ORT_ENABLE_ALL),
        new("1 thread", 1, false, GraphOptimizationLevel.ORT_ENABLE_ALL),
        new("2 threads, spinning, extended optimizations only", 2, true, GraphOptimizationLevel.ORT_ENABLE_EXTENDED),
        new("2 threads, spinning, output OrtValue reused", 2, true, GraphOptimizationLevel.ORT_ENABLE_ALL, Preallocated: true),
    ];

    private static readonly string[] Parts = ["bare FP32 network", "upload check (inspect + thumbnail)", "decode + letterbox"];

    public static void Run(Report report, ResNetFeaturizer resnet, byte[] jpeg, int rounds)
    {
        var graph = resnet.FeatureGraphFor(ResNetFeaturizer.VersionV2Int8);
        var sessions = Variants.Select(v => Create(graph, v)).ToList();
        var input = resnet.PrepareInput(ResNetFeaturizer.PreparePixels(jpeg, "bench.jpg"));
        var bareInput = new float[input.Length];
        var inspector = new SkiaImageInspector();
        var output = new float[FeatureGraph.FeatureCount];
        using var outputValue = OrtValue.CreateTensorValueFromMemory(output, [1, FeatureGraph.FeatureCount]);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, 3, ResNetFeaturizer.Size, ResNetFeaturizer.Size]);
        using var run = new RunOptions();

        var columns = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Time(string name, Action action)
        {
            var watch = Stopwatch.StartNew();
            action();
            if (columns.TryGetValue(name, out var list))
            {
                list.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        for (var round = -10; round < rounds; round++)
        {
            if (round == 0)
            {
                foreach (var name in Parts.Concat(Variants.Select(v => v.Name)))
                {
                    columns[name] = [];
                }
            }

            Time("bare FP32 network", () => resnet.RunNetwork(bareInput));
            Time("upload check (inspect + thumbnail)", () => inspector.Inspect(jpeg, 40_000_000, 32));
            Time("decode + letterbox", () => ResNetFeaturizer.PreparePixels(jpeg, "bench.jpg"));
            for (var v = 0; v < Variants.Length; v++)
            {
                var session = sessions[v];
                Time(Variants[v].Name, Variants[v].Preallocated
                    ? () => session.Run(run, [FeatureGraph.Input], [inputValue], [FeatureGraph.Output], [outputValue])
                    : () =>
                    {
                        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, ResNetFeaturizer.Size, ResNetFeaturizer.Size]);
                        using var outputs = session.Run(run, [FeatureGraph.Input], [value], [FeatureGraph.Output]);
                        _ = outputs[0].GetTensorDataAsSpan<float>().ToArray();
                    });
            }
        }

        var bare = Median(columns["bare FP32 network"]);
        report.Line($"## One prediction's parts and the INT8 session's options ({rounds} interleaved rounds, {Environment.ProcessorCount} cores, load {PortalHead.LoadAverage()})");
        report.Line("");
        report.Line("| part | p50 ms | p95 ms | p50 / bare FP32 network |");
        report.Line("|---|---|---|---|");
        foreach (var (name, list) in columns)
        {
            list.Sort();
            report.Line($"| {name} | {Median(list):F2} | {list[(int)(0.95 * (list.Count - 1))]:F2} | {Median(list) / bare:F2} |");
        }

        report.Line("");
        foreach (var session in sessions)
        {
            session.Dispose();
        }
    }

    private static InferenceSession Create(byte[] graph, Variant variant)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = variant.Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = variant.Level,
        };
        if (!variant.Spinning)
        {
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        return new InferenceSession(graph, options);
    }

    private static double Median(List<double> sorted) => sorted.Order().ElementAt(sorted.Count / 2);

}
