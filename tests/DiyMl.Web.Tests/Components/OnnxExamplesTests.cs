using DiyMl.Domain.Training;
using DiyMl.Web.Components.Pages.Models;

namespace DiyMl.Web.Tests.Components;

/// <summary>The dialog's three programs each resize by the model's own rule and use the file's real input and output names.</summary>
public sealed class OnnxExamplesTests
{
    public static TheoryData<string, bool> Cases => new() { { "crop", false }, { "letterbox", true } };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_example_feeds_image_of_the_models_size_and_reads_probabilities(string name, bool letterbox)
    {
        var input = new OnnxInput(true, letterbox ? 224 : 32, letterbox, false);
        var size = input.Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] classes = ["cat", "dog"];

        foreach (var code in new[] { OnnxExamples.Python(input, classes), OnnxExamples.CSharp(input, classes), OnnxExamples.JavaScript(input, classes) })
        {
            Assert.Matches("\"image\"|\\bimage: ", code);
            Assert.Contains("probabilities", code);
            Assert.Contains($"{size}, {size}, 3]", code);
            Assert.Equal(letterbox, code.Contains("white", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("{{", code);
        }

        Assert.Contains("[\"cat\",\"dog\"]", OnnxExamples.JavaScript(input, classes));
        Assert.True(name.Length > 0);
    }
}
