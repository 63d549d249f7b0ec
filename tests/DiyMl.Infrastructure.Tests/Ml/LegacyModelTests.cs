using System.Text.Json;
using DiyMl.Domain.Common;
using DiyMl.Domain.Training;

namespace DiyMl.Infrastructure.Tests.Ml;

/// <summary>
/// Models stored before feature space v2 (Fixtures/legacy-v1: packages trained on main at
/// 82bb57f on generated shapes with mirrored copies, probe pictures including wide JPEGs and a
/// transparent PNG, and the scores that code gave them) must keep predicting exactly as they did.
/// </summary>
[Collection(MlCollection.Name)]
public sealed class LegacyModelTests(MlFixture ml)
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Ml", "Fixtures", "legacy-v1");

    [Theory]
    [InlineData(ModelCatalog.ResNetLbfgs)]
    [InlineData(ModelCatalog.ResNetLightGbm)]
    [InlineData(ModelCatalog.Pixels)]
    public async Task A_model_trained_before_feature_space_v2_predicts_what_it_predicted_then(string type)
    {
        var expected = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, List<ScoredLabel>>>>(
            File.ReadAllText(Path.Combine(Root, "expected.json")), JsonSerializerOptions.Web)![type];
        var package = File.ReadAllBytes(Path.Combine(Root, $"{type}.model"));
        var blob = await ml.Blobs.PutAsync(new MemoryStream(package), TestContext.Current.CancellationToken);
        var names = expected.Keys.Order(StringComparer.Ordinal).ToList();
        var images = names.Select(n => (ReadOnlyMemory<byte>)File.ReadAllBytes(Path.Combine(Root, "images", n))).ToList();

        var outcomes = await ml.Predictor.PredictAsync(
            new ModelHandle(Ids.New(), type, blob.Sha256, Shapes.Classes.Order(StringComparer.Ordinal).ToList()), images, TestContext.Current.CancellationToken);

        for (var i = 0; i < names.Count; i++)
        {
            var want = expected[names[i]];
            var got = outcomes[i].Scores!;
            Assert.Equal(want.Select(s => s.Label), got.Select(s => s.Label));
            for (var c = 0; c < want.Count; c++)
            {
                Assert.True(Math.Abs(want[c].Score - got[c].Score) < 1e-5, $"{type} {names[i]} {want[c].Label}: was {want[c].Score}, now {got[c].Score}");
            }
        }
    }
}
