using System.Collections.Concurrent;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Security;

/// <summary>
/// Open hub connections keep the identity they connected with, and SignalR never re-checks it.
/// This keeps a list of them and closes those whose account is disabled or whose security stamp
/// changed: at once for changes made on this instance (<see cref="EndAsync"/>), and within
/// <see cref="SecurityOptions.SessionCheckSeconds"/> for changes made on another instance.
/// </summary>
public sealed class SessionRevocation(IServiceScopeFactory scopes, ILogger<SessionRevocation> logger)
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new(StringComparer.Ordinal);

    public int OpenConnections => _connections.Count;

    internal void Add(HubCallerContext connection) => _connections[connection.ConnectionId] = connection;

    internal void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>Re-checks the user's open connections now (call after changing their stamp or disabling them).</summary>
    public Task EndAsync(string userId) => RevalidateAsync(c => string.Equals(c.UserIdentifier, userId, StringComparison.Ordinal));

    public Task RevalidateAllAsync() => RevalidateAsync(_ => true);

    private async Task RevalidateAsync(Func<HubCallerContext, bool> which)
    {
        var chosen = _connections.Values.Where(which).ToList();
        if (chosen.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ActiveAccountCheck>();
        foreach (var connection in chosen)
        {
            if (connection.User is { Identity.IsAuthenticated: true } user && await accounts.FindActiveAsync(user) is null)
            {
                logger.LogInformation("Closing hub connection {ConnectionId}: its account was disabled or signed out", connection.ConnectionId);
                connection.Abort();
                Remove(connection.ConnectionId);
            }
        }
    }
}

/// <summary>Registers every hub connection with <see cref="SessionRevocation"/> for its lifetime.</summary>
internal sealed class HubSessionFilter(SessionRevocation sessions) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        sessions.Add(context.Context);
        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        sessions.Remove(context.Context.ConnectionId);
        await next(context, exception);
    }
}

/// <summary>Catches revocations made on other instances: re-checks every open hub connection periodically.</summary>
internal sealed class SessionRevalidator(SessionRevocation sessions, IOptions<SecurityOptions> options, TimeProvider clock, ILogger<SessionRevalidator> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SessionCheckSeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await sessions.RevalidateAllAsync();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Re-checking hub connections failed; trying again at the next tick");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
