using Bunit;
using DiyMl.Domain.Jobs;
using DiyMl.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DiyMl.Web.Tests.Jobs;

public sealed class JobProgressViewTests : BunitContext
{
    public JobProgressViewTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    [Fact]
    public void A_running_job_shows_its_stage_bar_count_rate_and_time_left()
    {
        var job = Snapshot(JobStatus.Running, new ProgressSnapshot("Featurizing", 40, 100, 12.5, 4.8, new Dictionary<string, double> { ["Preparing"] = 0.4 }));

        var view = Render<JobProgressView>(p => p.Add(x => x.Job, job).Add(x => x.Unit, "images").Add(x => x.OnCancel, () => { }));

        Assert.Equal("Looking at your pictures", view.Find("[data-testid=job-stage]").TextContent.Trim());
        Assert.Equal("40", view.Find("[data-testid=job-bar] [role=progressbar], [data-testid=job-bar][role=progressbar]").GetAttribute("aria-valuenow"));
        Assert.Contains("40 / 100 images", view.Find("[data-testid=job-count]").TextContent, StringComparison.Ordinal);
        Assert.Contains("12.5 images/s", view.Find("[data-testid=job-rate]").TextContent, StringComparison.Ordinal);
        Assert.Contains("about 5 s left", view.Find("[data-testid=job-eta]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Getting your pictures ready: 0.4 s", view.Find("[data-testid=job-stage-times]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Cancel", view.Find("[data-testid=job-cancel]").TextContent.Trim());
    }

    [Fact]
    public void A_job_being_cancelled_cannot_be_cancelled_twice()
    {
        var job = Snapshot(JobStatus.Running, new ProgressSnapshot("Fitting", 0, 0, null, null, new Dictionary<string, double>())) with { CancelRequested = true };

        var view = Render<JobProgressView>(p => p.Add(x => x.Job, job).Add(x => x.OnCancel, () => { }));

        var cancel = view.Find("[data-testid=job-cancel]");
        Assert.True(cancel.HasAttribute("disabled"));
        Assert.Contains("Cancelling", cancel.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_succeeded_job_shows_its_metrics_in_place_of_the_bar()
    {
        var job = Snapshot(JobStatus.Succeeded, new ProgressSnapshot("Saving", 1, 1, null, null, new Dictionary<string, double> { ["Fitting"] = 1.25 }))
            with { ResultJson = """{"accuracy":0.875,"macroF1":0.8}""" };

        var view = Render<JobProgressView>(p => p.Add(x => x.Job, job).Add(x => x.OnCancel, () => { }));

        Assert.Empty(view.FindAll("[data-testid=job-bar]"));
        Assert.Empty(view.FindAll("[data-testid=job-cancel]"));
        var metrics = view.Find("[data-testid=job-metrics]").TextContent;
        Assert.Contains("Accuracy", metrics, StringComparison.Ordinal);
        Assert.Contains("0.875", metrics, StringComparison.Ordinal);
        Assert.Contains("Macro f1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void A_succeeded_job_with_a_result_view_shows_it_instead_of_the_raw_figures()
    {
        var job = Snapshot(JobStatus.Succeeded, new ProgressSnapshot("Saving", 1, 1, null, null, new Dictionary<string, double>()))
            with { ResultJson = """{"accuracy":0.875}""", ModelId = "6b08bc1c0762d28960c359aa" };
        RenderFragment<JobSnapshot> result = j => builder => builder.AddMarkupContent(0, $"<p data-testid=\"own-result\">model {j.ModelId}</p>");

        var view = Render<JobProgressView>(p => p.Add(x => x.Job, job).Add(x => x.Result, result));

        Assert.Contains("6b08bc1c0762d28960c359aa", view.Find("[data-testid=own-result]").TextContent, StringComparison.Ordinal);
        Assert.Empty(view.FindAll("[data-testid=job-metrics]"));
        Assert.DoesNotContain("Open the model", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_job_shows_its_reason()
    {
        var job = Snapshot(JobStatus.Failed, new ProgressSnapshot("Featurizing", 3, 10, null, null, new Dictionary<string, double>()))
            with { Error = "The dataset has no images left." };

        var view = Render<JobProgressView>(p => p.Add(x => x.Job, job));

        Assert.Equal("The dataset has no images left.", view.Find("[data-testid=job-error]").TextContent.Trim());
        Assert.Contains("Failed while looking at your pictures", view.Find("[data-testid=job-stage]").TextContent, StringComparison.Ordinal);
    }

    private static JobSnapshot Snapshot(JobStatus status, ProgressSnapshot progress) => new(
        "0123456789abcdef01234567", "alice", JobKind.Training, status, progress, null, "dataset-1", null, null, false,
        DateTime.UtcNow, DateTime.UtcNow, status is JobStatus.Running ? null : DateTime.UtcNow, DateTime.UtcNow);
}
