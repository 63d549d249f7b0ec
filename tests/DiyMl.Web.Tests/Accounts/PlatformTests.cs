using System.Net;
using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Web.Auth;
using DiyMl.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Tests.Accounts;

public sealed class PlatformTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Passwords_are_hashed_with_210000_pbkdf2_iterations()
    {
        var email = PortalFactory.NewEmail();
        await portal.CreateUserClientAsync(email);
        Assert.Equal(210_000, portal.Services.GetRequiredService<IOptions<PasswordHasherOptions>>().Value.IterationCount);

        await using var scope = portal.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        var hash = Convert.FromBase64String(user!.PasswordHash!);

        // Identity v3 format: marker 0x01, PRF (4 bytes), iteration count (4 bytes, big-endian), salt length, salt, subkey.
        Assert.Equal(0x01, hash[0]);
        Assert.Equal(210_000, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(5, 4)));
    }

    [Fact]
    public async Task Openapi_document_lists_auth_and_api_key_endpoints_with_security_schemes()
    {
        var json = await portal.CreateClient().GetStringAsync("/openapi/v1.json", Ct);

        Assert.Contains("/api/auth/login", json);
        Assert.Contains("/api/auth/refresh", json);
        Assert.Contains("/api/api-keys", json);
        Assert.Contains("X-Api-Key", json);
        Assert.Contains("securitySchemes", json);
    }

    [Fact]
    public async Task Scalar_serves_the_api_reference()
    {
        using var response = await portal.CreateClient().GetAsync("/scalar", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_browser_on_a_private_page_is_redirected_to_login_with_return_url()
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/account/manage", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login?returnUrl=%2Faccount%2Fmanage", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Forged_login_ticket_goes_back_to_login_without_a_cookie()
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/account/complete-login?ticket=forged&returnUrl=https%3A%2F%2Fevil.example", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login?expired=true", response.Headers.Location!.ToString());
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("diyml.auth", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Login_ticket_works_once_and_only_redirects_within_the_site()
    {
        var email = PortalFactory.NewEmail();
        await portal.CreateUserClientAsync(email);
        string ticket;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
            ticket = await portal.Services.GetRequiredService<LoginTickets>().IssueAsync(user!, remember: false);
        }

        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var url = $"/account/complete-login?ticket={Uri.EscapeDataString(ticket)}&returnUrl=%2F%2Fevil.example";
        using var first = await client.GetAsync(url, Ct);
        using var second = await client.GetAsync(url, Ct);

        Assert.Equal("/", first.Headers.Location!.ToString());
        Assert.Contains(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith("diyml.auth", StringComparison.Ordinal));
        Assert.StartsWith("/account/login?expired=true", second.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Logout_without_an_antiforgery_token_is_refused()
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent([]), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Unexpected_failure_is_a_500_with_a_correlation_id_and_no_internals()
    {
        await using var broken = new PortalFactory();
        await using var factory = broken.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IApiKeyStore, ExplodingKeyStore>()));
        var client = factory.CreateClient();
        var email = PortalFactory.NewEmail();
        await client.PostAsync("/api/auth/register", System.Net.Http.Json.JsonContent.Create(new { email, password = PortalFactory.Password }), Ct);
        var token = await PortalFactory.LoginAsync(client, email);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.AccessToken);

        using var response = await client.GetAsync("/api/api-keys", Ct);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("correlationId").GetString()));
        Assert.DoesNotContain("database file is on fire", problem.GetRawText());
    }

    private sealed class ExplodingKeyStore : IApiKeyStore
    {
        public Task<ApiKey?> GetAsync(string id, CancellationToken ct = default) => throw Boom();

        public Task<Page<ApiKey>> ListByOwnerAsync(string ownerId, CancellationToken ct = default) => throw Boom();

        public Task<long> CountByOwnerAsync(string ownerId, CancellationToken ct = default) => throw Boom();

        public Task InsertAsync(ApiKey key, CancellationToken ct = default) => throw Boom();

        public Task<bool> DeleteAsync(string id, CancellationToken ct = default) => throw Boom();

        public Task<bool> TouchAsync(ApiKey key, CancellationToken ct = default) => throw Boom();

        private static InvalidOperationException Boom() => new("database file is on fire");
    }
}
