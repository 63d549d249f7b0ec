using System.Diagnostics;
using DiyMl.Infrastructure.Ml;

namespace DiyMl.Bench;

/// <summary>
/// Bare network vs our featurizer on the same images. Rounds alternate between the two so that
/// load from other processes on a shared machine hits both alike.
/// </summary>
internal static class Throughput
{
    public static void Compare(Report report, ResNetFeaturizer resnet, string name, IReadOnlyList<byte[]> images)
    {
        var input = new float[3 * ResNetFeaturizer.Size * ResNetFeaturizer.Size];
        var random = new Random(3);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (random.NextSingle() * 255) - 120;
        }

        // Warm up both paths.
        for (var i = 0; i < 5; i++)
        {
            resnet.RunNetwork(input);
            resnet.Featurize(images[i], false, "warm-up", bulk: true);
        }

        const int Round = 50;
        double bare = 0, ours = 0;
        var cpu = TimeSpan.Zero;
        for (var start = 0; start < images.Count; start += Round)
        {
            var count = Math.Min(Round, images.Count - start);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                resnet.RunNetwork(input);
            }

            bare += watch.Elapsed.TotalSeconds;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            watch.Restart();
            // As training does it: one image per core on the single-threaded bulk session.
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                resnet.Featurize(images[start + i], false, "bench", bulk: true));

            ours += watch.Elapsed.TotalSeconds;
            cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        }

        var bareRate = images.Count / bare;
        var oursRate = images.Count / ours;
        report.Line($"- {name}, {images.Count} images: bare ONNX Runtime {bareRate:F1} img/s, ours {oursRate:F1} img/s, ratio {oursRate / bareRate:F2}, ours {cpu.TotalMilliseconds / images.Count:F1} CPU-ms/img");
    }

    /// <summary>The bare network's rate right now (2 intra-op threads, random input), to put a training run's figures next to.</summary>
    public static double BareRate(ResNetFeaturizer resnet, int runs)
    {
        var input = new float[3 * ResNetFeaturizer.Size * ResNetFeaturizer.Size];
        resnet.RunNetwork(input);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            resnet.RunNetwork(input);
        }

        return runs / watch.Elapsed.TotalSeconds;
    }
}
