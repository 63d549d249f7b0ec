using Bunit;
using DiyMl.Domain.Jobs;
using DiyMl.Web.Components.Shared;

namespace DiyMl.Web.Tests.Components;

/// <summary>The job's progress line says what is happening in words; the per-step timings wait under Details.</summary>
public sealed class JobStepsTests : MudBunitContext
{
    private static readonly DateTime Started = new(2026, 12, 2, 3, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_running_training_says_what_it_did_and_what_it_does_now_without_timings()
    {
        var job = Job(JobStatus.Running, "Trying settings", ("Starting", 0.02), ("Preparing", 0.4), ("Featurizing", 12.3), ("Trying settings", 1.1));

        var cut = Render<JobProgressView>(p => p.Add(x => x.Job, job).Add(x => x.Unit, "images"));

        var steps = cut.Find("[data-testid=job-steps]").TextContent.Trim();
        Assert.Equal("So far it got your pictures ready and looked at your pictures. Now: trying settings.", steps);
        Assert.DoesNotMatch(@"\d s\b", steps);
    }

    [Fact]
    public void The_timings_are_inside_a_closed_details_box()
    {
        var job = Job(JobStatus.Running, "Featurizing", ("Starting", 0.0), ("Preparing", 0.4), ("Featurizing", 2));

        var cut = Render<JobProgressView>(p => p.Add(x => x.Job, job).Add(x => x.Unit, "images"));

        var details = cut.Find("[data-testid=job-details]");
        Assert.Equal("details", details.TagName, ignoreCase: true);
        Assert.False(details.HasAttribute("open"));
        Assert.Equal("Details", details.QuerySelector("summary")!.TextContent.Trim());
        Assert.Equal(
            "Starting up: 0.0 s · Getting your pictures ready: 0.4 s · Looking at your pictures: 2.0 s",
            details.QuerySelector("[data-testid=job-stage-times]")!.TextContent.Trim());
    }

    [Fact]
    public void A_job_just_picked_up_says_it_is_starting_up()
    {
        var cut = Render<JobProgressView>(p => p.Add(x => x.Job, Job(JobStatus.Running, "Starting", ("Starting", 0.0))));

        Assert.Equal("Now: starting up.", cut.Find("[data-testid=job-steps]").TextContent.Trim());
    }

    [Fact]
    public void A_finished_training_lists_every_step_it_took()
    {
        var job = Job(JobStatus.Succeeded, "Saving", ("Starting", 0.0), ("Preparing", 0.4), ("Featurizing", 12), ("Fitting", 3), ("Evaluating", 1), ("Saving", 0.2));

        var cut = Render<JobProgressView>(p => p.Add(x => x.Job, job));

        Assert.Equal(
            "It got your pictures ready, looked at your pictures, learned from them, checked itself on pictures it had not seen and saved the result.",
            cut.Find("[data-testid=job-steps]").TextContent.Trim());
    }

    [Fact]
    public void A_failed_job_does_not_claim_the_step_it_failed_in()
    {
        var job = Job(JobStatus.Failed, "Fitting", ("Preparing", 0.4), ("Featurizing", 12), ("Fitting", 3));

        var cut = Render<JobProgressView>(p => p.Add(x => x.Job, job));

        Assert.Equal("Before it stopped, it got your pictures ready and looked at your pictures.", cut.Find("[data-testid=job-steps]").TextContent.Trim());
    }

    private static JobSnapshot Job(JobStatus status, string stage, params (string Stage, double Seconds)[] times) => new(
        "0123456789abcdef01234567", "alice", JobKind.Training, status,
        new ProgressSnapshot(stage, 0, 0, null, null, times.ToDictionary(t => t.Stage, t => t.Seconds)), null, "d", null, null, false,
        Started, Started, null, Started.AddSeconds(20));
}
