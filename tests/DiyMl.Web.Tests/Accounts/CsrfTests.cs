using System.Net;
using System.Net.Http.Json;
using DiyMl.Web.Tests.Infrastructure;

namespace DiyMl.Web.Tests.Accounts;

/// <summary>A change sent with the browser's cookie must come from this origin; bearer tokens and API keys are not affected.</summary>
public sealed class CsrfTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage CreateDataset(string? origin, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/datasets") { Content = JsonContent.Create(new { name = "forged" }) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return request;
    }

    [Theory]
    [InlineData("http://evil.example", null)]
    [InlineData("http://localhost:8080", null)]
    [InlineData(null, null)]
    [InlineData("http://localhost", "same-site")]
    public async Task A_cookie_post_without_same_origin_proof_is_refused_with_403(string? origin, string? fetchSite)
    {
        var email = PortalFactory.NewEmail();
        await portal.CreateUserClientAsync(email);
        var browser = await SecurityTestSteps.CookieClientAsync(portal, email);

        using var response = await browser.SendAsync(CreateDataset(origin, fetchSite), Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(0, (await browser.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/datasets", Ct)).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_cookie_post_from_the_portals_own_origin_works()
    {
        var email = PortalFactory.NewEmail();
        await portal.CreateUserClientAsync(email);
        var browser = await SecurityTestSteps.CookieClientAsync(portal, email);

        using var response = await browser.SendAsync(CreateDataset("http://localhost", "same-origin"), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_bearer_post_with_a_foreign_origin_is_not_a_browser_forgery_and_works()
    {
        var client = await portal.CreateUserClientAsync();

        using var response = await client.SendAsync(CreateDataset("http://evil.example"), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
