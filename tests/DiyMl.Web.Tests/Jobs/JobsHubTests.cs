using System.Threading.Channels;
using DiyMl.Domain.Jobs;
using DiyMl.Web.Endpoints;
using DiyMl.Web.Hubs;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.Jobs;

public sealed class JobsHubTests(JobsPortalFactory portal) : IClassFixture<JobsPortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_hub_client_receives_progress_of_its_own_job_until_it_finishes()
    {
        var (client, userId) = await portal.CreateUserAsync();
        var job = await portal.CreateJobAsync(userId, steps: 2);
        await portal.Handler.Started(job.Id);
        await using var hub = await ConnectAsync(client, HttpTransportType.LongPolling);
        var received = Channel.CreateUnbounded<JobDto>();
        hub.On<JobDto>(JobsHub.ProgressEvent, dto => received.Writer.TryWrite(dto));

        var current = await hub.InvokeAsync<JobDto>(nameof(JobsHub.SubscribeJob), job.Id, Ct);
        portal.Handler.Step(job.Id, 2);
        var seen = new List<JobDto>();
        while (seen.LastOrDefault()?.Status != "Succeeded")
        {
            seen.Add(await received.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct));
        }

        Assert.Equal("Running", current.Status);
        Assert.All(seen, dto => Assert.Equal(job.Id, dto.Id));
        Assert.Contains(seen, dto => dto.Progress.Stage == "Fitting");
    }

    [Fact]
    public async Task A_hub_client_over_websockets_authenticates_with_the_access_token_query()
    {
        var (client, userId) = await portal.CreateUserAsync();
        var job = await portal.CreateJobAsync(userId, fail: "Quick end.");
        await portal.WaitForStatusAsync(job.Id, JobStatus.Failed);
        await using var hub = await ConnectAsync(client, HttpTransportType.WebSockets);

        var current = await hub.InvokeAsync<JobDto>(nameof(JobsHub.SubscribeJob), job.Id, Ct);

        Assert.Equal("Failed", current.Status);
        Assert.Equal("Quick end.", current.Error);
    }

    [Fact]
    public async Task Subscribing_to_another_users_job_is_refused_and_sends_nothing()
    {
        var (_, aliceId) = await portal.CreateUserAsync();
        var (bob, bobId) = await portal.CreateUserAsync();
        var bobsJob = await portal.CreateJobAsync(bobId, fail: "Bob's own.");
        await portal.WaitForStatusAsync(bobsJob.Id, JobStatus.Failed);
        var alicesJob = await portal.CreateJobAsync(aliceId, steps: 1);
        await portal.Handler.Started(alicesJob.Id);
        await using var hub = await ConnectAsync(bob, HttpTransportType.LongPolling);
        var leaked = 0;
        hub.On<JobDto>(JobsHub.ProgressEvent, dto => Interlocked.Increment(ref leaked));

        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<JobDto>(nameof(JobsHub.SubscribeJob), alicesJob.Id, Ct));
        portal.Handler.Step(alicesJob.Id);
        await portal.WaitForStatusAsync(alicesJob.Id, JobStatus.Succeeded);
        await hub.InvokeAsync<JobDto>(nameof(JobsHub.SubscribeJob), bobsJob.Id, Ct); // a round trip: whatever was sent before has arrived

        Assert.Contains("not found", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, Volatile.Read(ref leaked));
    }

    [Fact]
    public async Task The_hub_refuses_anonymous_connections()
    {
        var anonymous = portal.CreateClient();

        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(anonymous, HttpTransportType.LongPolling));
    }

    private async Task<HubConnection> ConnectAsync(HttpClient client, HttpTransportType transport)
    {
        var token = client.DefaultRequestHeaders.Authorization?.Parameter;
        var server = portal.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, JobsHub.Path), o =>
            {
                o.Transports = transport;
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult(token);
                o.SkipNegotiation = transport == HttpTransportType.WebSockets;

                // TestServer's WebSocket client; like a browser, the token goes in the query string.
                o.WebSocketFactory = async (context, ct) =>
                {
                    var uri = new UriBuilder(context.Uri) { Query = $"{context.Uri.Query.TrimStart('?')}&access_token={Uri.EscapeDataString(token ?? "")}".TrimStart('&') };
                    return await server.CreateWebSocketClient().ConnectAsync(uri.Uri, ct);
                };
            })
            .Build();
        await connection.StartAsync(Ct);
        return connection;
    }
}
