using DiyMl.Domain.Predictions;
using DiyMl.Domain.Reports;

namespace DiyMl.Domain.Tests.Reports;

public sealed class ReportCsvTests
{
    [Theory]
    [InlineData("cat", "cat")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("-0.5", "-0.5")]
    public void Fields_are_quoted_and_formulas_are_defused(string value, string expected) => Assert.Equal(expected, ReportCsv.Field(value));

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\photos\\cat.jpg", "cat.jpg")]
    [InlineData("", "image")]
    [InlineData("a\u0000b.png", "ab.png")]
    public void File_names_are_shown_as_their_last_segment_without_control_characters(string name, string expected) =>
        Assert.Equal(expected, PredictionService.DisplayName(name));
}
