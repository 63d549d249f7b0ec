using Bunit;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Training;
using DiyMl.Web.Components.Shared;

namespace DiyMl.Web.Tests.Components;

/// <summary>The live training chart, the honest estimate and the learning curve, as a person reads them.</summary>
public sealed class WatchItLearnTests : MudBunitContext
{
    private static readonly DateTime Started = new(2026, 12, 2, 3, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_learning_curve_shows_its_sentence_a_chart_and_the_same_figures_as_a_table()
    {
        List<LearningCurvePoint> curve = [new() { Images = 30, Accuracy = 0.6 }, new() { Images = 60, Accuracy = 0.7 }, new() { Images = 90, Accuracy = 0.78 }, new() { Images = 120, Accuracy = 0.84 }];

        var cut = Render<LearningCurveView>(p => p.Add(x => x.Curve, curve));

        Assert.Equal("More pictures would likely help: it was still getting better when it saw all of them.", cut.Find("[data-testid=learning-curve-sentence]").TextContent.Trim());
        var rows = cut.FindAll("[data-testid=learning-curve-table] tbody tr").Select(r => r.TextContent.Trim()).ToList();
        Assert.Equal(["30 pictures60 %", "60 pictures70 %", "90 pictures78 %", "120 pictures84 %"], rows);
        var chart = cut.Find("[data-testid=learning-curve-chart]");
        Assert.Equal("img", chart.GetAttribute("role"));
        Assert.Contains("120 pictures: 84 % right", chart.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Equal(4, chart.QuerySelectorAll("circle").Length);
    }

    [Fact]
    public void A_flat_curve_says_more_of_the_same_is_unlikely_to_help()
    {
        List<LearningCurvePoint> curve = [new() { Images = 10, Accuracy = 0.7 }, new() { Images = 20, Accuracy = 0.85 }, new() { Images = 30, Accuracy = 0.9 }, new() { Images = 40, Accuracy = 0.9 }];

        var cut = Render<LearningCurveView>(p => p.Add(x => x.Curve, curve));

        Assert.StartsWith("More pictures of the same kind are unlikely to help", cut.Find("[data-testid=learning-curve-sentence]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_trained_before_learning_curves_shows_nothing()
    {
        var cut = Render<LearningCurveView>(p => p.Add(x => x.Curve, []));

        Assert.Empty(cut.FindAll("[data-testid=learning-curve]"));
        Assert.Equal("", cut.Markup.Trim());
    }

    [Fact]
    public void While_looking_at_pictures_the_chart_draws_images_over_time_with_words_beside_it()
    {
        var cut = Render<JobProgressView>(p => p.Add(x => x.Job, Running("Featurizing", 16, 153, at: 6)).Add(x => x.Unit, "images"));
        cut.Render(p => p.Add(x => x.Job, Running("Featurizing", 48, 153, at: 8, rate: 16, eta: 7)));
        cut.Render(p => p.Add(x => x.Job, Running("Featurizing", 80, 153, at: 10, rate: 16, eta: 5)));

        Assert.Equal("Looked at 80 of 153 pictures in 10 s. The line starts at 6 s: the time before went into loading the image network.", cut.Find("[data-testid=live-images-text]").TextContent.Trim());
        Assert.Equal(3, cut.Find("[data-testid=live-images-chart] polyline").GetAttribute("points")!.Split(' ').Length);
        Assert.Contains("about 5 s left", cut.Find("[data-testid=job-eta]").TextContent, StringComparison.Ordinal);
        Assert.Contains("16 images/s", cut.Find("[data-testid=job-rate]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void No_time_left_is_shown_until_it_was_measured_and_the_page_says_so()
    {
        var cut = Render<JobProgressView>(p => p.Add(x => x.Job, Running("Featurizing", 16, 153, at: 6)).Add(x => x.Unit, "images"));

        Assert.Empty(cut.FindAll("[data-testid=job-eta]"));
        Assert.Empty(cut.FindAll("[data-testid=job-rate]"));
        Assert.Equal("The time left shows once it has measured its speed.", cut.Find("[data-testid=job-eta-pending]").TextContent.Trim());
    }

    [Fact]
    public void Trying_settings_counts_settings_not_images_and_charts_how_each_scored()
    {
        var trials = new[] { 0.70, 0.82, 0.78 }.Select((s, i) => new JobTrial { Setting = "l2", Value = i, Score = s }).ToList();
        var job = Running(TrainingEstimator.TryingSettings, 3, 9, at: 12, eta: 4) with { };
        job = job with { Progress = job.Progress with { Trials = trials } };

        var cut = Render<JobProgressView>(p => p.Add(x => x.Job, job).Add(x => x.Unit, "images"));

        Assert.Equal("Trying settings", cut.Find("[data-testid=job-stage]").TextContent.Trim());
        Assert.Contains("3 / 9 settings", cut.Find("[data-testid=job-count]").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Tried 3 of 9 settings so far; the best got 82 % right", cut.Find("[data-testid=live-trials-text]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(3, cut.FindAll("[data-testid=live-trials-chart] rect").Count);
    }

    [Fact]
    public void Learning_is_one_step_with_no_stuck_count()
    {
        var cut = Render<JobProgressView>(p => p.Add(x => x.Job, Running("Fitting", 0, 1, at: 14)).Add(x => x.Unit, "images"));

        Assert.Equal("Learning", cut.Find("[data-testid=job-stage]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=job-count]"));
    }

    [Fact]
    public void Screen_readers_hear_the_stage_and_a_coarse_share_not_every_count()
    {
        var cut = Render<JobProgressView>(p => p.Add(x => x.Job, Running("Featurizing", 48, 153, at: 8, rate: 16, eta: 7)).Add(x => x.Unit, "images"));
        var region = cut.Find("[role=status]");
        Assert.Equal("polite", region.GetAttribute("aria-live"));
        Assert.Equal("Looking at your pictures: about a quarter done", region.TextContent.Trim());

        cut.Render(p => p.Add(x => x.Job, Running("Featurizing", 60, 153, at: 9, rate: 16, eta: 6)));

        // A dozen more pictures change the visible count, not what is announced.
        Assert.Equal("Looking at your pictures: about a quarter done", cut.Find("[role=status]").TextContent.Trim());
        Assert.Single(cut.FindAll("[role=status]"));
    }

    private static JobSnapshot Running(string stage, int done, int total, double at, double? rate = null, double? eta = null) => new(
        "0123456789abcdef01234567", "alice", JobKind.Training, JobStatus.Running,
        new ProgressSnapshot(stage, done, total, rate, eta, new Dictionary<string, double>()), null, "d", null, null, false,
        Started, Started, null, Started.AddSeconds(at));
}
