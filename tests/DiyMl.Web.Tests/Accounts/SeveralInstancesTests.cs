using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Domain.Accounts;
using DiyMl.Web.Auth;
using DiyMl.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.Accounts;

/// <summary>Two portal instances on one MongoDB (CongoDB here): decisions that must hold across instances.</summary>
public sealed class SeveralInstancesTests(CongoDb mongo) : IClassFixture<CongoDb>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PortalFactory Instance(string database)
    {
        var portal = new PortalFactory();
        portal.Settings["Storage:Provider"] = "Mongo";
        portal.Settings["Storage:MongoDatabase"] = database;
        portal.Settings["ConnectionStrings:Mongo"] = mongo.Url;
        portal.Settings["Jobs:Workers"] = "0";
        return portal;
    }

    [Fact]
    public async Task Two_instances_racing_first_registrations_make_exactly_one_admin_over_20_tries()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var database = $"race{attempt}_{Guid.NewGuid():N}"[..30];
            await using var a = Instance(database);
            await using var b = Instance(database);
            var (clientA, clientB) = (a.CreateClient(), b.CreateClient());

            var results = await Task.WhenAll(
                clientA.PostAsJsonAsync("/api/auth/register", new { email = PortalFactory.NewEmail("a"), password = PortalFactory.Password }, Ct),
                clientB.PostAsJsonAsync("/api/auth/register", new { email = PortalFactory.NewEmail("b"), password = PortalFactory.Password }, Ct));

            var roles = new List<string>();
            foreach (var response in results)
            {
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                roles.Add((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("roles")[0].GetString()!);
                response.Dispose();
            }

            Assert.True(roles.Count(r => r == "Admin") == 1, $"try {attempt}: roles {string.Join(", ", roles)}");
        }
    }

    [Fact]
    public async Task The_same_email_registered_at_once_on_two_instances_gives_one_account_and_a_409()
    {
        var database = $"email_{Guid.NewGuid():N}"[..30];
        await using var a = Instance(database);
        await using var b = Instance(database);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var email = PortalFactory.NewEmail("twin");
            var results = await Task.WhenAll(
                a.CreateClient().PostAsJsonAsync("/api/auth/register", new { email, password = PortalFactory.Password }, Ct),
                b.CreateClient().PostAsJsonAsync("/api/auth/register", new { email = email.ToUpperInvariant(), password = PortalFactory.Password }, Ct));

            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], results.Select(r => r.StatusCode).Order());
        }
    }

    [Fact]
    public async Task A_login_ticket_redeemed_on_one_instance_is_refused_on_the_other()
    {
        var database = $"ticket_{Guid.NewGuid():N}"[..30];
        await using var a = Instance(database);
        await using var b = Instance(database);
        var email = PortalFactory.NewEmail();
        await a.CreateUserClientAsync(email);
        string ticket;
        using (var scope = a.Services.CreateScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
            ticket = await a.Services.GetRequiredService<LoginTickets>().IssueAsync(user!, remember: false);
        }

        var url = $"/account/complete-login?ticket={Uri.EscapeDataString(ticket)}&returnUrl=%2F";
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        using var onB = await b.CreateClient(options).GetAsync(url, Ct);
        using var replayOnA = await a.CreateClient(options).GetAsync(url, Ct);

        Assert.Equal("/", onB.Headers.Location?.OriginalString);
        Assert.StartsWith("/account/login?expired=true", replayOnA.Headers.Location?.OriginalString);
    }
}
