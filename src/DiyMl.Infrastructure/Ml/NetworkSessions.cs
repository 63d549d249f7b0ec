using Microsoft.ML.OnnxRuntime;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// One network's two ONNX Runtime sessions, created on first use from its graph (see
/// <see cref="ResNetFeaturizer"/> for why two): one spreading an image over every core (a lone
/// prediction), one on its caller's thread (bulk featurization, one caller per core).
/// </summary>
internal sealed class Network(Func<byte[]> graph) : IDisposable
{
    // The graph's bytes are built per session and not kept: 64 MB for FP32 that the session holds in its own form anyway.
    private readonly Lazy<InferenceSession>[] _sessions = new Lazy<InferenceSession>[2];
    private readonly Lock _gate = new();

    public InferenceSession Session(bool bulk)
    {
        var index = bulk ? 1 : 0;
        lock (_gate)
        {
            _sessions[index] ??= new Lazy<InferenceSession>(() => Create(graph(), bulk ? 1 : Environment.ProcessorCount), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        return _sessions[index].Value;
    }

    public void Dispose()
    {
        foreach (var session in _sessions)
        {
            if (session is { IsValueCreated: true })
            {
                session.Value.Dispose();
            }
        }
    }

    private static InferenceSession Create(byte[] graph, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };

        // No spin-waiting for the next op: a portal holds several sessions (FP32 and INT8, lone and
        // bulk) on 2 shared cores, and each pool's spinning threads steal the cores the running one
        // needs. Measured (bench --session-options, INT8 lone prediction, load ~13): p50 82.5 → 55.2 ms,
        // p95 130 → 103 ms; one thread instead of two gave 61 ms.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return new InferenceSession(graph, options);
    }
}
