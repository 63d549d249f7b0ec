using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using DiyMl.Web.Hubs;
using DiyMl.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.Accounts;

/// <summary>A lock, a password change or "sign out everywhere" ends every session within seconds, and never with a 500.</summary>
public sealed class SessionEndTests(QuickSessionPortal portal) : IClassFixture<QuickSessionPortal>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HubConnection> ConnectAsync(PortalFactory portal, HttpClient client)
    {
        var token = client.DefaultRequestHeaders.Authorization?.Parameter;
        var server = portal.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, JobsHub.Path), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult(token);
            })
            .Build();
        await connection.StartAsync(Ct);
        return connection;
    }

    /// <summary>Polls (there is no event to wait for: the cookie is re-checked on its next request) and returns how long it took.</summary>
    private static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "the session was still alive after 20 s");
            await Task.Delay(100, Ct);
        }

        return watch.Elapsed;
    }

    [Fact]
    public async Task An_admin_lock_closes_the_victims_open_hub_connection()
    {
        await using var own = new QuickSessionPortal(); // its first account is the Admin
        var admin = await own.CreateUserClientAsync();
        var email = PortalFactory.NewEmail("victim");
        var victim = await own.CreateUserClientAsync(email);
        await using var hub = await ConnectAsync(own, victim);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var id = await SecurityTestSteps.UserIdAsync(own, email);
        (await admin.PostAsync($"/api/admin/users/{id}/lock", null, Ct)).EnsureSuccessStatusCode();

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
        await ApiAssert.ProblemAsync(await victim.GetAsync("/api/datasets", Ct), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_cookies_within_seconds_and_the_stale_cookie_never_gives_a_500()
    {
        var email = PortalFactory.NewEmail();
        var bearer = await portal.CreateUserClientAsync(email);
        var browser = await SecurityTestSteps.CookieClientAsync(portal, email);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/datasets", Ct)).StatusCode);

        (await bearer.PostAsync("/api/auth/sign-out-everywhere", null, Ct)).EnsureSuccessStatusCode();
        var took = await UntilAsync(async () => (await browser.GetAsync("/api/datasets", Ct)).StatusCode == HttpStatusCode.Unauthorized);
        TestContext.Current.TestOutputHelper?.WriteLine($"SESSION-END cookie refused {took.TotalSeconds:F1} s after sign out everywhere");

        await ApiAssert.ProblemAsync(await bearer.GetAsync("/api/datasets", Ct), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/login", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/health", Ct)).StatusCode);
        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}");
    }

    [Fact]
    public async Task A_password_change_ends_other_bearer_tokens_and_cookies()
    {
        var email = PortalFactory.NewEmail();
        var bearer = await portal.CreateUserClientAsync(email);
        var browser = await SecurityTestSteps.CookieClientAsync(portal, email);
        using (var scope = portal.Services.GetRequiredService<IServiceScopeFactory>().CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<DiyMl.Web.Auth.AccountService>();
            await accounts.ChangePasswordAsync(await SecurityTestSteps.UserIdAsync(portal, email), PortalFactory.Password, "Another-Horse-7");
        }

        await ApiAssert.ProblemAsync(await bearer.GetAsync("/api/datasets", Ct), HttpStatusCode.Unauthorized);
        await UntilAsync(async () => (await browser.GetAsync("/api/datasets", Ct)).StatusCode == HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/login", Ct)).StatusCode);
    }
}
