using Bunit;
using DiyMl.Domain.Models;
using DiyMl.Domain.Publishing;
using DiyMl.Domain.Training;
using DiyMl.Web.Components.Pages.Published;
using DiyMl.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DiyMl.Web.Tests.Components;

public sealed class PublishedCardTests : MudBunitContext
{
    public PublishedCardTests() => Services.AddSingleton(new ViewerClock(TimeProvider.System));

    private static PublishedModel Published() => new(
        new Publication { Id = "pub123", Name = "Fruit or plant", ModelId = "model42", VersionNumber = 2, PublishedAt = DateTime.UtcNow.AddMinutes(-5) },
        new TrainedModel
        {
            Id = "model42",
            Name = "Version 3",
            DatasetId = "ds7",
            Classes = ["fruit", "plant"],
            Validation = Evaluation.FromConfusion(["fruit", "plant"], [[4, 2], [1, 9]], logLoss: 0.3),
        },
        Mine: true);

    private IRenderedComponent<PublishedCard> RenderCard(Action<PublishedModel>? onUnpublish = null) =>
        Render<PublishedCard>(p => p
            .Add(x => x.Item, Published())
            .Add(x => x.DatasetName, "Garden")
            .Add(x => x.BaseUri, "https://ml.school.example/")
            .Add(x => x.OnUnpublish, item => onUnpublish?.Invoke(item)));

    [Fact]
    public void Shows_what_was_published_in_plain_words_with_a_try_it_link()
    {
        var cut = RenderCard();

        Assert.Equal("Fruit or plant", cut.Find("[data-testid=published-name]").TextContent.Trim());
        Assert.Equal("/models/model42/predict", cut.Find("[data-testid=published-try]").GetAttribute("href"));
        var facts = cut.Find("[data-testid=published-facts]").TextContent;
        Assert.Contains("Version 3", facts, StringComparison.Ordinal);
        Assert.Contains("Garden", facts, StringComparison.Ordinal);
        Assert.Equal("Sorts a picture into one of 2 classes: fruit, plant.", cut.Find("[data-testid=published-classes]").TextContent.Trim());
        Assert.Equal("How good: It got 13 of 16 pictures it had not seen right (81 %).", cut.Find("[data-testid=published-accuracy]").TextContent.Trim());
        Assert.Contains("5 min ago", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_example_request_uses_the_portals_real_address_and_a_placeholder_key()
    {
        var cut = RenderCard();

        var example = cut.Find("[data-testid=published-example]").TextContent;
        Assert.Contains("https://ml.school.example/api/published-models/pub123/predictions", example, StringComparison.Ordinal);
        Assert.Contains("X-Api-Key: YOUR_API_KEY", example, StringComparison.Ordinal);
        Assert.Contains("files=@picture.jpg", example, StringComparison.Ordinal);
        Assert.Contains(cut.FindAll("a"), a => a.GetAttribute("href") == "/api-keys");
    }

    [Fact]
    public void Copy_puts_the_example_request_on_the_clipboard()
    {
        var cut = RenderCard();

        cut.Find("[data-testid=published-copy]").Click();

        var copy = Assert.Single(JSInterop.Invocations, i => i.Identifier == "diyml.copy");
        Assert.Equal(cut.Find("[data-testid=published-example]").TextContent, copy.Arguments[0]);
    }

    [Fact]
    public async Task Unpublish_asks_first_and_does_nothing_when_cancelled()
    {
        var provider = Render<MudDialogProvider>();
        var unpublished = new List<string>();
        var cut = RenderCard(item => unpublished.Add(item.Publication.Id));

        // The click's handler waits for the answer, so it is awaited only once the dialog is answered.
        var asking = cut.Find("[data-testid=unpublish]").ClickAsync(new());
        Assert.Contains("Unpublish \"Fruit or plant\"?", provider.Markup, StringComparison.Ordinal);
        Assert.Empty(unpublished);
        await provider.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new());
        await asking;
        Assert.Empty(unpublished);

        asking = cut.Find("[data-testid=unpublish]").ClickAsync(new());
        await provider.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Unpublish").ClickAsync(new());
        await asking;
        Assert.Equal(["pub123"], unpublished);
    }
}
