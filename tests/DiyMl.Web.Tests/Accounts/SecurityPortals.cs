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

/// <summary>The default limits: five wrong passwords per account, then 429 (the address allowance stays high: tests share one address).</summary>
public sealed class ThrottledPortal : PortalFactory
{
    public ThrottledPortal()
    {
        Settings["Security:FailuresPerAccount"] = "5";
        Settings["Security:FailureRefillSeconds"] = "600";
    }
}

/// <summary>Checks sessions every second, so revocation tests wait about a second instead of five.</summary>
public sealed class QuickSessionPortal : PortalFactory
{
    public QuickSessionPortal() => Settings["Security:SessionCheckSeconds"] = "1";
}

internal static class SecurityTestSteps
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A client that carries the browser cookie of <paramref name="email"/>, signed in through the one-time ticket page.</summary>
    public static async Task<HttpClient> CookieClientAsync(PortalFactory portal, string email)
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"{email} is not registered");
            var ticket = await portal.Services.GetRequiredService<LoginTickets>().IssueAsync(user, remember: false);
            using var complete = await client.GetAsync($"/account/complete-login?ticket={Uri.EscapeDataString(ticket)}&returnUrl=%2F", Ct);
            Assert.Equal(HttpStatusCode.Redirect, complete.StatusCode);
            Assert.Equal("/", complete.Headers.Location?.OriginalString);
        }

        return client;
    }

    public static async Task<string> CreateApiKeyAsync(HttpClient owner, params string[] scopes)
    {
        using var create = await owner.PostAsJsonAsync("/api/api-keys", scopes.Length == 0 ? new { name = "script", scopes = (string[]?)null } : new { name = "script", scopes = (string[]?)scopes }, Ct);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        return (await create.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
    }

    public static HttpClient WithApiKey(PortalFactory portal, string key)
    {
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public static async Task<string> UserIdAsync(PortalFactory portal, string email)
    {
        using var scope = portal.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        return user!.Id;
    }
}
