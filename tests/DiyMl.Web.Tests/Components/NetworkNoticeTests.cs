using Bunit;
using DiyMl.Domain.Models;
using DiyMl.Infrastructure.Ml;
using DiyMl.Web.Components.Pages.Models;

namespace DiyMl.Web.Tests.Components;

public sealed class NetworkNoticeTests : MudBunitContext
{
    [Fact]
    public void A_model_of_the_first_int8_network_is_told_that_retraining_moves_it_to_the_current_one()
    {
        var cut = Render<NetworkNotice>(p => p.Add(x => x.FeatureSpace, ResNetFeaturizer.VersionV2Int8V1));

        Assert.Contains("Retrain it", cut.Find("[data-testid=old-network-notice]").TextContent);
    }

    [Theory]
    [InlineData(ResNetFeaturizer.VersionV2Int8)]
    [InlineData(ResNetFeaturizer.VersionV2)]
    [InlineData(ResNetFeaturizer.VersionV1)]
    [InlineData(null)]
    public void Other_models_see_no_notice(string? space)
    {
        var cut = Render<NetworkNotice>(p => p.Add(x => x.FeatureSpace, space));

        Assert.Empty(cut.FindAll("[data-testid=old-network-notice]"));
    }

    [Fact]
    public void The_reproducibility_table_names_the_image_network_in_words()
    {
        var model = new TrainedModel { Id = "m1", ModelTypeId = "resnet18-lbfgs", FeatureSpace = ResNetFeaturizer.VersionV2Int8V1 };

        var cut = Render<ModelProvenance>(p => p.Add(x => x.Model, model));

        var row = cut.FindAll("tr").Single(r => r.TextContent.Contains("Image network"));
        Assert.Contains("first version", row.TextContent);
        Assert.Contains(ResNetFeaturizer.VersionV2Int8V1, row.TextContent);
        var pixels = Render<ModelProvenance>(p => p.Add(x => x.Model, new TrainedModel { Id = "m2", ModelTypeId = "pixels" }));
        Assert.DoesNotContain(pixels.FindAll("tr"), r => r.TextContent.Contains("Image network"));
    }
}
