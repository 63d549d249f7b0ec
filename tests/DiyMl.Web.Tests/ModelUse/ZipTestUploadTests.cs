using Bunit;
using DiyMl.Domain.Datasets;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Testing;
using DiyMl.Web.Components.Pages.ModelTests;
using DiyMl.Web.Tests.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.ModelUse;

/// <summary>The model page's "Upload a zip of labelled folders" control, over the real services of a running portal.</summary>
public sealed class ZipTestUploadTests : MudBunitContext, IClassFixture<UsePortal>
{
    private readonly UsePortal _portal;

    public ZipTestUploadTests(UsePortal portal)
    {
        _portal = portal;
        Services.AddSingleton(portal.Services.GetRequiredService<ArchiveTestService>());
        Services.AddSingleton(portal.Services.GetRequiredService<DatasetOptions>());
    }

    [Fact]
    public async Task A_picture_instead_of_a_zip_shows_why_and_starts_nothing()
    {
        var owner = await _portal.CreateTrainedUserAsync(seed: 51);
        var started = new List<Job>();
        var cut = Render<ZipTestUpload>(p => p
            .Add(c => c.ModelId, owner.Model.Id)
            .Add(c => c.UserId, owner.UserId)
            .Add(c => c.Started, EventCallback.Factory.Create<Job>(this, started.Add)));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(ShapeImages.Png("red", 1), "red.png"));

        cut.WaitForAssertion(() => Assert.Contains("'red.png' is not a zip archive", cut.Find("[data-testid=zip-test-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(started);
        Assert.False(cut.Find("[data-testid=zip-test-button]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_zip_of_labelled_folders_starts_the_test_and_names_the_new_dataset()
    {
        var owner = await _portal.CreateTrainedUserAsync(seed: 52);
        var started = new List<Job>();
        var cut = Render<ZipTestUpload>(p => p
            .Add(c => c.ModelId, owner.Model.Id)
            .Add(c => c.UserId, owner.UserId)
            .Add(c => c.Started, EventCallback.Factory.Create<Job>(this, started.Add)));
        var zip = LabelledZip.Of([.. LabelledZip.Shapes(52_000, ("red", "red", 2), ("blue", "blue", 2)), ("notes.txt", "hi"u8.ToArray())]);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(zip, "shapes.zip"));

        cut.WaitForAssertion(() => Assert.Single(started));
        var created = cut.Find("[data-testid=zip-test-created]").TextContent;
        Assert.Contains("Test pictures · ", created, StringComparison.Ordinal);
        Assert.Contains("4 pictures added, 1 file not used", created, StringComparison.Ordinal);
        Assert.Equal(JobKind.ModelTest, started[0].Kind);
        await _portal.WaitForJobAsync(owner.UserId, started[0].Id);
    }
}
