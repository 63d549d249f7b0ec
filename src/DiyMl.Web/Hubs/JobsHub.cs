using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;
using DiyMl.Web.Auth;
using DiyMl.Web.Endpoints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace DiyMl.Web.Hubs;

/// <summary>
/// Live job progress for .NET and JavaScript clients at <c>/hubs/jobs</c>. A signed-in user
/// subscribes to one of their jobs and then receives <c>progress</c> messages (a <see cref="JobDto"/>)
/// until it finishes. Someone else's job is refused exactly like a missing one.
/// </summary>
[Authorize]
public sealed class JobsHub(JobService jobs, JobHubSubscriptions subscriptions) : Hub
{
    public const string Path = "/hubs/jobs";

    public const string ProgressEvent = "progress";

    /// <summary>Joins the job's group and returns its current state.</summary>
    public async Task<JobDto> SubscribeJob(string jobId)
    {
        Job job;
        try
        {
            job = await jobs.GetAsync(Context.User!.GetUserId(), jobId, Context.ConnectionAborted);
        }
        catch (NotFoundException)
        {
            throw new HubException($"Job '{jobId}' was not found.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, JobHubSubscriptions.GroupOf(job.Id), Context.ConnectionAborted);
        subscriptions.Add(Context.ConnectionId, job.Id);
        return JobDto.From(job);
    }

    public async Task UnsubscribeJob(string jobId)
    {
        if (subscriptions.Remove(Context.ConnectionId, jobId))
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, JobHubSubscriptions.GroupOf(jobId));
        }
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.RemoveConnection(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
