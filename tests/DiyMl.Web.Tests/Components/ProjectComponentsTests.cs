using Bunit;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Training;
using DiyMl.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.Components;

public sealed class ProjectComponentsTests : MudBunitContext
{
    public ProjectComponentsTests() => Services.AddSingleton(new ViewerClock(TimeProvider.System));

    [Fact]
    public void Results_read_as_sentences_with_the_expert_figures_under_details()
    {
        var evaluation = Evaluation.FromConfusion(["fruit", "plant"], [[4, 2], [1, 9]], logLoss: 0.31);

        var cut = Render<MetricsSummary>(p => p.Add(x => x.Evaluation, evaluation));

        Assert.Equal("It got 13 of 16 pictures it had not seen right (81 %).", cut.Find("[data-testid=overall-sentence]").TextContent.Trim());
        var perClass = cut.FindAll("[data-testid=per-class-sentences] li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(["fruit: 4 of 6 right — mistaken for plant twice", "plant: 9 of 10 right — mistaken for fruit once"], perClass);
        // The confusion matrix carries numbers, not only colours; the expert figures wait behind Details.
        Assert.Equal(["4", "2", "1", "9"], cut.FindAll(".diyml-confusion td").Select(td => td.TextContent.Trim()));
        var details = cut.Find("[data-testid=metric-details]");
        Assert.DoesNotContain("mud-panel-expanded", details.ClassName, StringComparison.Ordinal);
        Assert.Contains("Macro F1", details.TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("[aria-label='Per-class figures']"));
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(cut.Markup, "Macro F1"));
    }

    [Fact]
    public void While_the_image_network_loads_the_progress_says_so_instead_of_zero_of_all()
    {
        var job = new JobSnapshot("0123456789abcdef01234567", "alice", JobKind.Training, JobStatus.Running,
            new ProgressSnapshot("Featurizing", 0, 153, null, null, new Dictionary<string, double>()), null, "d", null, null, false,
            DateTime.UtcNow, DateTime.UtcNow, null, DateTime.UtcNow);

        var cut = Render<JobProgressView>(p => p.Add(x => x.Job, job).Add(x => x.Unit, "images"));

        Assert.Equal("Loading the image network…", cut.Find("[data-testid=job-stage]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=job-count]"));
        Assert.Equal("polite", cut.Find("[role=status]").GetAttribute("aria-live"));
    }
}
