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
public sealed class JobsHub(JobHubSubscriptions subscriptions) : Hub
{
    public const string Path = "/hubs/jobs";

    public const string ProgressEvent = "progress";

    /// <summary>Starts sending the job's changes to this connection and returns its current state.</summary>
    public async Task<JobDto> SubscribeJob(string jobId)
    {
        try
        {
            return JobDto.From(await subscriptions.AddAsync(Context.ConnectionId, Context.User!.GetUserId(), jobId, Context.ConnectionAborted));
        }
        catch (NotFoundException)
        {
            throw new HubException($"Job '{jobId}' was not found.");
        }
    }

    public Task UnsubscribeJob(string jobId)
    {
        subscriptions.Remove(Context.ConnectionId, jobId);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.RemoveConnection(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
