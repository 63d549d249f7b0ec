using DiyMl.Domain.Common;
using DiyMl.Domain.Training;
using DiyMl.Infrastructure.Ml;
using DiyMl.Infrastructure.Ml.Onnx;
using DiyMl.Infrastructure.Storage.LiteDb;
using Microsoft.Extensions.Options;

namespace DiyMl.Infrastructure.Tests.Ml;

/// <summary>
/// <c>Ml:Precision</c> chooses the network for new models only: a model predicts on the network it
/// was trained on whatever the setting says now, and the two spaces never share cached features.
/// </summary>
[Collection(MlCollection.Name)]
public sealed class QuantizationSpaceTests(MlFixture ml) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("diyml-int8-space").FullName;
    private LiteDbEngine? _engine;

    [Fact]
    public void Every_precision_names_a_known_space_with_an_onnx_recipe()
    {
        Assert.Equal(ResNetFeaturizer.VersionV2Int8, ResNetFeaturizer.VersionFor(new MlOptions().Precision));
        Assert.Equal(ResNetFeaturizer.VersionV2, ResNetFeaturizer.VersionFor(NetworkPrecision.Fp32));
        foreach (var precision in Enum.GetValues<NetworkPrecision>())
        {
            var space = ResNetFeaturizer.VersionFor(precision);
            Assert.True(ResNetFeaturizer.IsKnown(space));
            Assert.Equal(768, ResNetFeaturizer.FeatureCount(space));
            Assert.NotNull(FeatureRecipe.For(space));
        }

        Assert.NotEqual(FeatureCache.IdFor("abc", ResNetFeaturizer.CacheVersion(ResNetFeaturizer.VersionV2), false),
            FeatureCache.IdFor("abc", ResNetFeaturizer.CacheVersion(ResNetFeaturizer.VersionV2Int8), false));
    }

    [Fact]
    public async Task A_model_predicts_on_the_network_it_was_trained_on_whatever_the_setting_says_now()
    {
        ml.RequireFashion();
        var ct = TestContext.Current.CancellationToken;
        var images = ml.FashionValidation.Select(i => (ReadOnlyMemory<byte>)ml.Bytes[i.Sha256]).ToList();
        foreach (var precision in new[] { NetworkPrecision.Int8, NetworkPrecision.Fp32 })
        {
            var result = await Trainer(precision).TrainAsync(MlFixture.Input(ModelCatalog.ResNetLbfgs, ml.FashionTrain, ml.FashionValidation), new SyncProgress(), ct);
            var space = ResNetFeaturizer.VersionFor(precision);
            Assert.Equal(space, result.FeatureSpace);
            var blob = await ml.Blobs.PutAsync(new MemoryStream(result.Model), ct);
            var handle = new ModelHandle(Ids.New(), ModelCatalog.ResNetLbfgs, blob.Sha256, result.Classes);

            // One predictor, no setting at all: the stored model names its space.
            var outcomes = await ml.Predictor.PredictAsync(handle, images, ct);
            var loaded = await ml.Predictor.GetAsync(handle, ct);
            Assert.Equal(space, loaded.Metadata.Featurizer);
            var other = precision == NetworkPrecision.Int8 ? ResNetFeaturizer.VersionV2 : ResNetFeaturizer.VersionV2Int8;
            for (var i = 0; i < images.Count; i++)
            {
                Assert.Equal(loaded.Score(ml.ResNet.Value.Featurize(images[i].Span, false, "picture", featurizer: space)), outcomes[i].Scores);
                Assert.NotEqual(loaded.Score(ml.ResNet.Value.Featurize(images[i].Span, false, "picture", featurizer: other)), outcomes[i].Scores);
            }

            var correct = outcomes.Zip(ml.FashionValidation).Count(p => p.First.Scores![0].Label == p.Second.Label);
            Assert.True(correct >= 0.75 * images.Count, $"{precision}: {correct} of {images.Count} right");
        }
    }

    [Fact]
    public async Task Switching_the_setting_never_serves_features_of_the_other_network_from_the_cache()
    {
        var ct = TestContext.Current.CancellationToken;
        var shapes = await ml.FreshShapesAsync(perClass: 3, seed: 1500);
        var train = shapes.Where((_, i) => i % 3 != 0).ToList();
        var validation = shapes.Where((_, i) => i % 3 == 0).ToList();
        var input = MlFixture.Input(ModelCatalog.ResNetLbfgs, train, validation);
        _engine = new LiteDbEngine(_directory);
        var cache = new FeatureCache(_engine);

        var fp32 = await Trainer(NetworkPrecision.Fp32, cache).TrainAsync(input, new SyncProgress(), ct);
        var int8 = await Trainer(NetworkPrecision.Int8, cache).TrainAsync(input, new SyncProgress(), ct);
        var int8Again = await Trainer(NetworkPrecision.Int8, cache).TrainAsync(input, new SyncProgress(), ct);
        var fp32Again = await Trainer(NetworkPrecision.Fp32, cache).TrainAsync(input, new SyncProgress(), ct);

        Assert.Equal(0, fp32.FeatureCacheHits);
        Assert.Equal(0, int8.FeatureCacheHits);
        Assert.Equal(shapes.Count, int8Again.FeatureCacheHits);
        Assert.Equal(shapes.Count, fp32Again.FeatureCacheHits);
        foreach (var image in shapes)
        {
            var bytes = ml.Bytes[image.Sha256];
            Assert.Equal(ml.ResNet.Value.Featurize(bytes, false, "picture", featurizer: ResNetFeaturizer.VersionV2Int8),
                await cache.GetAsync(image.Sha256, ResNetFeaturizer.CacheVersion(ResNetFeaturizer.VersionV2Int8), false, ct));
            Assert.Equal(ml.ResNet.Value.Featurize(bytes, false, "picture", featurizer: ResNetFeaturizer.VersionV2),
                await cache.GetAsync(image.Sha256, ResNetFeaturizer.CacheVersion(ResNetFeaturizer.VersionV2), false, ct));
        }
    }

    public void Dispose()
    {
        _engine?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private MlModelTrainer Trainer(NetworkPrecision precision, FeatureCache? cache = null)
    {
        _engine ??= new LiteDbEngine(_directory);
        return new MlModelTrainer(ml.Blobs, ml.ResNet, cache ?? new FeatureCache(_engine), Options.Create(new MlOptions { Precision = precision }));
    }
}
