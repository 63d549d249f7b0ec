using Bunit;
using DiyMl.Domain.Training;
using DiyMl.Web.Components.Pages.Models;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DiyMl.Web.Tests.Components;

public sealed class DownloadModelDialogTests : MudBunitContext
{
    private async Task<IRenderedComponent<MudDialogProvider>> ShowAsync(string modelType, Dictionary<string, double> parameters, string featureSpace = "resnet18-0.23.1+skia-isocrop-high.v1")
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<DownloadModelDialog>("Download", new DialogParameters<DownloadModelDialog>
        {
            { x => x.ModelId, "m42" },
            { x => x.Classes, new[] { "cat", "dog" } },
            { x => x.Input, OnnxInput.For(modelType, parameters, featureSpace) },
        }));
        return provider;
    }

    [Fact]
    public async Task Transfer_model_offers_both_files_says_what_each_is_and_how_to_resize()
    {
        var cut = await ShowAsync(ModelCatalog.ResNetLbfgs, []);

        Assert.Equal("/api/models/m42/download", cut.Find("[data-testid=download-zip]").GetAttribute("href"));
        Assert.Equal("/api/models/m42/download?format=onnx", cut.Find("[data-testid=download-onnx]").GetAttribute("href"));
        Assert.Contains("for .NET apps", cut.Markup);
        Assert.Contains("for anything else", cut.Markup);
        Assert.Contains("[1, 224, 224, 3]", cut.Markup);
        Assert.Contains("cut out the centre 224 x 224 square", cut.Find("[data-testid=onnx-resize]").TextContent);
        Assert.Contains("cat, dog", cut.Markup);
        var python = cut.Find("[data-testid=example-python]").TextContent;
        Assert.Contains("onnxruntime as ort", python);
        Assert.Contains("ImageOps.fit(", python);
        Assert.Contains("(224, 224)", python);
        Assert.Contains("{\"image\": x}", python);
        Assert.Contains("Python", cut.Markup);
        Assert.Contains("C#", cut.Markup);
        Assert.Contains("JavaScript", cut.Markup);
    }

    [Fact]
    public async Task Pixel_model_examples_resize_to_its_own_square()
    {
        var cut = await ShowAsync(ModelCatalog.Pixels, new() { ["size"] = 28, ["colour"] = 0 });

        Assert.Contains("[1, 28, 28, 3]", cut.Markup);
        Assert.Contains("(28, 28)", cut.Find("[data-testid=example-python]").TextContent);
        Assert.Contains("centre 28 x 28 square", cut.Find("[data-testid=onnx-resize]").TextContent);
    }

    [Fact]
    public async Task V2_feature_space_letterboxes_on_white_in_words_and_code()
    {
        var cut = await ShowAsync(ModelCatalog.ResNetLbfgs, [], "resnet18-0.23.1+v2-letterbox-white-s3s4-sqrt-l2");

        Assert.Contains("centre it on a white 224 x 224 square", cut.Find("[data-testid=onnx-resize]").TextContent);
        Assert.Contains("ImageOps.pad(", cut.Find("[data-testid=example-python]").TextContent);
    }

    [Fact]
    public async Task LightGbm_model_explains_that_only_the_zip_is_available()
    {
        var cut = await ShowAsync(ModelCatalog.ResNetLightGbm, []);

        Assert.Contains("cannot be exported to ONNX yet; use the ML.NET zip", cut.Find("[data-testid=onnx-unavailable]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=download-onnx]"));
        Assert.Single(cut.FindAll("[data-testid=download-zip]"));
    }
}
