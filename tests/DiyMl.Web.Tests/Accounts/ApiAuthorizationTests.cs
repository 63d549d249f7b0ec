using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Web.Tests.Accounts;

public sealed class ApiAuthorizationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every /api route that exists (now and as features land) except register/login/refresh.</summary>
    public static IEnumerable<(string Method, string Path)> ProtectedRoutes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Where(e => !e.RoutePattern.RawText!.Contains("{*", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, "/" + FillIds(e.RoutePattern.RawText!.Trim('/')))));

    private static string FillIds(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, "\\{[^}]+\\}", "0123456789abcdef01234567");

    [Fact]
    public async Task Every_api_route_without_credentials_is_a_401_problem()
    {
        var routes = ProtectedRoutes(portal.Services).ToList();
        Assert.True(routes.Any(r => r.Path == "/api/api-keys"), string.Join(", ", routes));
        var client = portal.CreateClient();

        foreach (var (method, path) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.Accept.ParseAdd("text/html");
            using var response = await client.SendAsync(request, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("Bearer not-a-token", null)]
    [InlineData(null, "dml_0123456789abcdef01234567_guessed")]
    [InlineData(null, "garbage")]
    public async Task Forged_credentials_are_a_401(string? authorization, string? apiKey)
    {
        var client = portal.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        using var response = await client.GetAsync("/api/api-keys", Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_users_api_key_is_not_found_and_stays_alive()
    {
        var alice = await portal.CreateUserClientAsync();
        var bob = await portal.CreateUserClientAsync();
        using var create = await alice.PostAsJsonAsync("/api/api-keys", new { name = "alice's script" }, Ct);
        var id = (await create.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();

        using var delete = await bob.DeleteAsync($"/api/api-keys/{id}", Ct);

        await ApiAssert.ProblemAsync(delete, HttpStatusCode.NotFound);
        Assert.DoesNotContain("alice's script", await bob.GetStringAsync("/api/api-keys", Ct));
        Assert.Contains("alice's script", await alice.GetStringAsync("/api/api-keys", Ct));
    }

    [Fact]
    public async Task Malformed_api_key_id_is_a_404()
    {
        var client = await portal.CreateUserClientAsync();

        using var delete = await client.DeleteAsync("/api/api-keys/..%2F..%2Fetc", Ct);

        await ApiAssert.ProblemAsync(delete, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Api_key_list_never_contains_the_key()
    {
        var client = await portal.CreateUserClientAsync();
        using var create = await client.PostAsJsonAsync("/api/api-keys", new { name = "ci" }, Ct);
        var key = (await create.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;

        var list = await client.GetFromJsonAsync<JsonElement>("/api/api-keys", Ct);

        Assert.Equal(1, list.GetProperty("total").GetInt64());
        Assert.DoesNotContain(key, list.GetRawText());
        Assert.Equal(key[^4..], list.GetProperty("items")[0].GetProperty("hint").GetString());
    }
}
