using Bunit;
using DiyMl.Web.Components.Pages.Reports;

namespace DiyMl.Web.Tests.Components;

public sealed class ChartTests : MudBunitContext
{
    private static readonly ChartPoint[] Classes = [new("fruit", 40), new("plant", 10), new("stone", 0)];

    private static List<List<string>> Rows(AngleSharp.Dom.IElement table) =>
        [.. table.QuerySelectorAll("tbody tr").Select(tr => tr.Children.Select(c => c.TextContent.Trim()).ToList())];

    [Fact]
    public void Bars_are_a_table_of_labels_and_values_with_a_sentence()
    {
        var cut = Render<ChartBody>(p => p.Add(x => x.Points, Classes).Add(x => x.Title, "Images per class").Add(x => x.LabelHeader, "Class").Add(x => x.Unit, "image"));

        var table = cut.Find("[data-testid=chart-table]");
        Assert.Equal("Images per class", table.QuerySelector("caption")!.TextContent);
        Assert.Equal(["Class", "Images"], table.QuerySelectorAll("thead th").Select(th => th.TextContent));
        Assert.Equal([["fruit", "40"], ["plant", "10"], ["stone", "0"]], Rows(table));
        Assert.Equal("50 images in all. Most: fruit, 40 (80 %). Fewest: plant, 10.", cut.Find("[data-testid=chart-summary]").TextContent.Trim());
    }

    [Fact]
    public void The_ring_carries_its_total_and_every_parts_number_and_share()
    {
        var cut = Render<ChartBody>(p => p.Add(x => x.Points, [new ChartPoint("PNG", 30), new ChartPoint("JPEG", 10)]).Add(x => x.Kind, ChartKind.Ring).Add(x => x.Unit, "image"));

        Assert.Equal("40Images", cut.Find(".diyml-ring-total").TextContent.Trim());
        Assert.Equal([["PNG", "30", "75 %"], ["JPEG", "10", "25 %"]], Rows(cut.Find("[data-testid=chart-table]")));
        Assert.Equal("true", cut.Find(".diyml-ring-figure").GetAttribute("aria-hidden"));
    }

    [Fact]
    public void A_ring_of_one_says_one_prediction_not_one_predictions()
    {
        var cut = Render<ChartBody>(p => p.Add(x => x.Points, [new ChartPoint("Here in the browser", 1), new ChartPoint("Scripts", 0)]).Add(x => x.Kind, ChartKind.Ring).Add(x => x.Unit, "prediction"));

        Assert.Equal("1Prediction", cut.Find(".diyml-ring-total").TextContent.Trim());
    }

    [Fact]
    public void Thirty_days_get_at_most_seven_date_labels_and_a_table_of_every_day()
    {
        var days = Enumerable.Range(1, 30).Select(d => new ChartPoint($"{d} Nov", d == 12 ? 5 : 0)).ToList();

        var cut = Render<ChartBody>(p => p.Add(x => x.Points, days).Add(x => x.Kind, ChartKind.Days).Add(x => x.Unit, "prediction"));

        var ticks = cut.FindAll(".diyml-days-tick").Select(t => t.TextContent).Where(t => t.Length > 0).ToList();
        Assert.Equal(["1 Nov", "6 Nov", "11 Nov", "16 Nov", "21 Nov", "26 Nov"], ticks);
        Assert.Equal("5", Assert.Single(cut.FindAll(".diyml-days-value")).TextContent);
        Assert.Equal(30, Rows(cut.Find("[data-testid=chart-table]")).Count);
        Assert.Contains(["12 Nov", "5"], Rows(cut.Find("[data-testid=chart-table]")));
        Assert.Equal("5 predictions in all. Most: 12 Nov, 5 (100 %).", cut.Find("[data-testid=chart-summary]").TextContent.Trim());
    }

    [Fact]
    public void Equal_groups_are_said_to_be_equal_rather_than_most_and_fewest()
    {
        var cut = Render<ChartBody>(p => p.Add(x => x.Points, [new ChartPoint("red", 10), new ChartPoint("blue", 10)]).Add(x => x.Unit, "image"));

        Assert.Equal("20 images in all, 10 in each of red, blue.", cut.Find("[data-testid=chart-summary]").TextContent.Trim());
    }

    [Fact]
    public void An_empty_chart_says_so_instead_of_drawing_nothing()
    {
        var cut = Render<ChartBody>(p => p.Add(x => x.Points, [new ChartPoint("fruit", 0)]));

        Assert.Empty(cut.FindAll("[data-testid=chart-table]"));
        Assert.Equal("Nothing to show yet.", cut.Find("[data-testid=chart-summary]").TextContent.Trim());
    }
}
