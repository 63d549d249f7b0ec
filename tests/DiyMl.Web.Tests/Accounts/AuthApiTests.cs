using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Web.Tests.Infrastructure;

namespace DiyMl.Web.Tests.Accounts;

public sealed class AuthApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registered_user_logs_in_and_gets_a_bearer_token_and_refresh_token()
    {
        var client = portal.CreateClient();
        var email = PortalFactory.NewEmail();

        using var register = await client.PostAsJsonAsync("/api/auth/register", new { email, password = PortalFactory.Password }, Ct);
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);

        using var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password = PortalFactory.Password }, Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var json = await login.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Bearer", json.GetProperty("tokenType").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("accessToken").GetString()));
        Assert.True(json.GetProperty("expiresIn").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(json.GetProperty("refreshToken").GetString()));
    }

    [Fact]
    public async Task Bearer_token_opens_the_api_and_a_refresh_token_gets_a_new_one()
    {
        var client = portal.CreateClient();
        var email = PortalFactory.NewEmail();
        (await client.PostAsJsonAsync("/api/auth/register", new { email, password = PortalFactory.Password }, Ct)).EnsureSuccessStatusCode();
        var tokens = await PortalFactory.LoginAsync(client, email);

        using var refresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken }, Ct);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var renewed = (await refresh.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/api-keys");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed.AccessToken);
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Forged_refresh_token_is_refused_with_401()
    {
        using var refresh = await portal.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "not-a-token" }, Ct);

        await ApiAssert.ProblemAsync(refresh, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Wrong_password_is_401_problem_details_without_a_token()
    {
        var email = PortalFactory.NewEmail();
        await portal.CreateUserClientAsync(email);

        using var login = await portal.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = "Wrong-Horse-1" }, Ct);

        var problem = await ApiAssert.ProblemAsync(login, HttpStatusCode.Unauthorized);
        Assert.Contains("wrong", problem.GetProperty("detail").GetString());
        Assert.False(problem.TryGetProperty("accessToken", out _));
    }

    [Fact]
    public async Task Unknown_email_gets_the_same_answer_as_a_wrong_password()
    {
        using var login = await portal.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = PortalFactory.NewEmail("nobody"), password = "Wrong-Horse-1" }, Ct);

        var problem = await ApiAssert.ProblemAsync(login, HttpStatusCode.Unauthorized);
        Assert.Contains("wrong", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Registering_an_email_twice_is_a_409_whatever_its_case()
    {
        var email = PortalFactory.NewEmail();
        await portal.CreateUserClientAsync(email);

        using var again = await portal.CreateClient().PostAsJsonAsync("/api/auth/register", new { email = email.ToUpperInvariant(), password = PortalFactory.Password }, Ct);

        var problem = await ApiAssert.ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Contains("already exists", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Weak_password_is_refused_with_the_rules_it_broke()
    {
        using var register = await portal.CreateClient().PostAsJsonAsync("/api/auth/register", new { email = PortalFactory.NewEmail(), password = "short" }, Ct);

        var problem = await ApiAssert.ProblemAsync(register, HttpStatusCode.BadRequest);
        Assert.NotEmpty(ApiAssert.Errors(problem, "password"));
    }
}
