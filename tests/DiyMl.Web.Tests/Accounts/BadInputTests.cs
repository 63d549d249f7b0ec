using System.Net;
using System.Net.Http.Json;
using System.Text;
using DiyMl.Web.Tests.Infrastructure;

namespace DiyMl.Web.Tests.Accounts;

/// <summary>Whatever a script sends, the answer is a clear 4xx ProblemDetails, never a 500 or an HTML page.</summary>
public sealed class BadInputTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/api/auth/register")]
    [InlineData("/api/auth/login")]
    [InlineData("/api/auth/refresh")]
    public async Task Malformed_json_is_a_400_that_says_the_json_is_broken(string path)
    {
        using var content = new StringContent("{\"email\": \"a@b.org\", \"password\": ", Encoding.UTF8, "application/json");

        using var response = await portal.CreateClient().PostAsync(path, content, Ct);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("JSON", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Missing_body_is_a_400()
    {
        using var content = new StringContent("", Encoding.UTF8, "application/json");

        using var response = await portal.CreateClient().PostAsync("/api/auth/login", content, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Missing_fields_are_a_400_naming_each_field()
    {
        using var response = await portal.CreateClient().PostAsJsonAsync("/api/auth/register", new { }, Ct);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Enter your e-mail address.", ApiAssert.Errors(problem, "email"));
        Assert.Contains("Enter your password.", ApiAssert.Errors(problem, "password"));
    }

    [Fact]
    public async Task Wrong_json_types_are_a_400()
    {
        using var content = new StringContent("{\"email\": 42, \"password\": [1]}", Encoding.UTF8, "application/json");

        using var response = await portal.CreateClient().PostAsync("/api/auth/login", content, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Not_an_email_is_a_400_on_the_email_field()
    {
        using var response = await portal.CreateClient().PostAsJsonAsync("/api/auth/register", new { email = "not an e-mail", password = PortalFactory.Password }, Ct);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotEmpty(ApiAssert.Errors(problem, "email"));
    }

    [Theory]
    [InlineData("/api/auth/register")]
    [InlineData("/api/auth/login")]
    public async Task A_one_megabyte_email_is_refused_cleanly(string path)
    {
        var huge = new string('a', 1024 * 1024) + "@example.org";

        using var response = await portal.CreateClient().PostAsJsonAsync(path, new { email = huge, password = PortalFactory.Password }, Ct);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Form_post_instead_of_json_is_a_415()
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "a@b.org" });

        using var response = await portal.CreateClient().PostAsync("/api/auth/login", content, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Api_key_with_an_overlong_name_is_a_400_on_the_name_field()
    {
        var client = await portal.CreateUserClientAsync();

        using var response = await client.PostAsJsonAsync("/api/api-keys", new { name = new string('k', 5000) }, Ct);

        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.NotEmpty(ApiAssert.Errors(problem, "name"));
    }

    [Fact]
    public async Task Unknown_api_address_is_a_json_404_even_for_a_browser()
    {
        var client = await portal.CreateUserClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/no-such-thing");
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await client.SendAsync(request, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Wrong_method_is_a_405_problem()
    {
        using var response = await portal.CreateClient().DeleteAsync("/api/auth/login", Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }
}
