using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Blobs;
using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Storage.LiteDb;

namespace DiyMl.Infrastructure.Tests.Ml;

/// <summary>
/// One LiteDB engine, blob store and ResNet session for all ML tests, plus a small Fashion-MNIST
/// set (4 easy-to-tell classes, 24 images each, split 18/6 per class) stored as PNG blobs.
/// </summary>
public sealed class MlFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "diyml-ml-" + Guid.NewGuid().ToString("N"));
    private LiteDbEngine? _engine;

    public FileBlobStore Blobs { get; private set; } = null!;

    public Lazy<ResNetFeaturizer> ResNet { get; } = new(() => new ResNetFeaturizer());

    public MlModelTrainer Trainer { get; private set; } = null!;

    public MlModelPredictor Predictor { get; private set; } = null!;

    public IReadOnlyList<LabelledImage> FashionTrain { get; private set; } = [];

    public IReadOnlyList<LabelledImage> FashionValidation { get; private set; } = [];

    public Dictionary<string, byte[]> Bytes { get; } = [];

    public async ValueTask InitializeAsync()
    {
        _engine = new LiteDbEngine(_directory);
        Blobs = new FileBlobStore(_directory);
        Trainer = new MlModelTrainer(Blobs, ResNet, new FeatureCache(_engine));
        Predictor = new MlModelPredictor(Blobs, ResNet);
        if (!FashionMnist.Available)
        {
            return;
        }

        var images = await StoreAsync(FashionMnist.Load(test: false, [0, 1, 7, 8], perClass: 24));
        FashionTrain = [.. images.GroupBy(i => i.Label).SelectMany(g => g.Take(18))];
        FashionValidation = [.. images.GroupBy(i => i.Label).SelectMany(g => g.Skip(18))];
    }

    public async Task<IReadOnlyList<LabelledImage>> StoreAsync(IEnumerable<(string Label, byte[] Bytes)> images)
    {
        var stored = new List<LabelledImage>();
        foreach (var (label, bytes) in images)
        {
            var blob = await Blobs.PutAsync(new MemoryStream(bytes));
            Bytes[blob.Sha256] = bytes;
            stored.Add(new LabelledImage(Ids.New(), blob.Sha256, label));
        }

        return stored;
    }

    /// <summary>New shape pictures never seen before (so never in the feature cache).</summary>
    public Task<IReadOnlyList<LabelledImage>> FreshShapesAsync(int perClass, int seed) =>
        StoreAsync(Shapes.Classes.SelectMany(c => Enumerable.Range(0, perClass).Select(_ => (c, Shapes.Draw(c, new Random(seed++))))));

    public static TrainingInput Input(string type, IReadOnlyList<LabelledImage> train, IReadOnlyList<LabelledImage> validation, Dictionary<string, double>? parameters = null, int seed = 42) =>
        new(type, parameters ?? [], train, validation, seed);

    public void RequireFashion()
    {
        if (!FashionMnist.Available)
        {
            Assert.Skip($"Fashion-MNIST is not installed at {FashionMnist.Directory} (Debian package dataset-fashion-mnist).");
        }
    }

    public ValueTask DisposeAsync()
    {
        _engine?.Dispose();
        if (ResNet.IsValueCreated)
        {
            ResNet.Value.Dispose();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Reports synchronously on the trainer's thread (Progress&lt;T&gt; posts later).</summary>
public sealed class SyncProgress(Action<TrainingProgressUpdate>? onReport = null) : IProgress<TrainingProgressUpdate>
{
    public List<TrainingProgressUpdate> Reports { get; } = [];

    public void Report(TrainingProgressUpdate value)
    {
        lock (Reports)
        {
            Reports.Add(value);
        }

        onReport?.Invoke(value);
    }
}

[CollectionDefinition(Name)]
public sealed class MlCollection : ICollectionFixture<MlFixture>
{
    public const string Name = "ml";
}
