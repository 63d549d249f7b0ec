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

/// <summary>
/// The INT8 network (issue 15) against the bare FP32 network in the same interleaved rounds:
/// the bare INT8 network, our INT8 featurization one image at a time (a prediction: decode,
/// letterbox, network on every core) and in bulk (training: one image per core). The aim is
/// ≥ 1.8× the bare FP32 rate for both.
/// </summary>
internal static class Int8Throughput
{
    public static void Compare(Report report, ResNetFeaturizer resnet, string name, IReadOnlyList<byte[]> images)
    {
        var input = new float[3 * ResNetFeaturizer.Size * ResNetFeaturizer.Size];
        var random = new Random(3);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (random.NextSingle() * 255) - 120;
        }

        const string Int8 = ResNetFeaturizer.VersionV2Int8;
        for (var i = 0; i < 5; i++)
        {
            resnet.RunNetwork(input);
            resnet.RunNetwork(input, int8: true);
            resnet.Featurize(images[i], false, "warm-up", featurizer: Int8);
            resnet.Featurize(images[i], false, "warm-up", bulk: true, featurizer: Int8);
        }

        const int Round = 25;
        double bare = 0, bareInt8 = 0, single = 0, bulk = 0;
        for (var start = 0; start < images.Count; start += Round)
        {
            var count = Math.Min(Round, images.Count - start);
            bare += Time(() =>
            {
                for (var i = 0; i < count; i++)
                {
                    resnet.RunNetwork(input);
                }
            });
            bareInt8 += Time(() =>
            {
                for (var i = 0; i < count; i++)
                {
                    resnet.RunNetwork(input, int8: true);
                }
            });
            single += Time(() =>
            {
                for (var i = 0; i < count; i++)
                {
                    resnet.Featurize(images[start + i], false, "bench", featurizer: Int8);
                }
            });
            bulk += Time(() => Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                resnet.Featurize(images[start + i], false, "bench", bulk: true, featurizer: Int8)));
        }

        var n = images.Count;
        report.Line($"- {name}, {n} images: bare FP32 network {n / bare:F1} img/s; bare INT8 network {n / bareInt8:F1} img/s ({bare / bareInt8:F2}×); " +
            $"our INT8 featurization one at a time {n / single:F1} img/s ({bare / single:F2}×), in bulk {n / bulk:F1} img/s ({bare / bulk:F2}×)");
    }

    /// <summary>Mean and lowest cosine between INT8 and FP32 features of the same pictures.</summary>
    public static void Agreement(Report report, ResNetFeaturizer resnet, string name, IReadOnlyList<byte[]> images)
    {
        var cosines = images.AsParallel().AsOrdered().WithDegreeOfParallelism(Environment.ProcessorCount).Select(image =>
        {
            var a = resnet.Featurize(image, false, name, bulk: true, featurizer: ResNetFeaturizer.VersionV2);
            var b = resnet.Featurize(image, false, name, bulk: true, featurizer: ResNetFeaturizer.VersionV2Int8);
            double dot = 0, x = 0, y = 0;
            for (var i = 0; i < a.Length; i++)
            {
                dot += a[i] * (double)b[i];
                x += a[i] * (double)a[i];
                y += b[i] * (double)b[i];
            }

            return dot / Math.Sqrt(x * y);
        }).ToList();
        report.Line($"- {name}, {images.Count} pictures: cosine(INT8, FP32 features) mean {cosines.Average():F4}, lowest {cosines.Min():F4}");
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }
}
