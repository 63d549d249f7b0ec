using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Web.Tests.Infrastructure;

namespace DiyMl.Web.Tests.Accounts;

public sealed class TokenTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> RefreshAsync(string token) =>
        await portal.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token }, Ct);

    [Fact]
    public async Task A_refresh_tokens_second_use_is_401_and_kills_its_successor()
    {
        var email = PortalFactory.NewEmail();
        await portal.CreateUserClientAsync(email);
        var first = await PortalFactory.LoginAsync(portal.CreateClient(), email);

        using var rotated = await RefreshAsync(first.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var second = (await rotated.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);

        using var reuse = await RefreshAsync(first.RefreshToken);
        await ApiAssert.ProblemAsync(reuse, HttpStatusCode.Unauthorized);

        using var successor = await RefreshAsync(second.RefreshToken);
        await ApiAssert.ProblemAsync(successor, HttpStatusCode.Unauthorized);
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", second.AccessToken);
        await ApiAssert.ProblemAsync(await client.GetAsync("/api/datasets", Ct), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refreshing_in_turn_keeps_working_and_other_sign_ins_are_untouched_by_a_reuse()
    {
        var email = PortalFactory.NewEmail();
        var other = await portal.CreateUserClientAsync(email);
        var tokens = await PortalFactory.LoginAsync(portal.CreateClient(), email);
        for (var i = 0; i < 3; i++)
        {
            using var next = await RefreshAsync(tokens.RefreshToken);
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
            tokens = (await next.Content.ReadFromJsonAsync<TokenResponse>(Ct))!;
        }

        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/datasets", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_default_api_key_reads_but_creating_a_key_with_it_is_403()
    {
        var owner = await portal.CreateUserClientAsync();
        var script = SecurityTestSteps.WithApiKey(portal, await SecurityTestSteps.CreateApiKeyAsync(owner));

        using var create = await script.PostAsJsonAsync("/api/api-keys", new { name = "successor" }, Ct);
        using var list = await script.GetAsync("/api/api-keys", Ct);
        using var signOut = await script.PostAsync("/api/auth/sign-out-everywhere", null, Ct);
        using var read = await script.GetAsync("/api/datasets", Ct);
        using var upload = await script.PostAsJsonAsync("/api/datasets", new { name = "from a script" }, Ct);

        Assert.Contains("manage", (await ApiAssert.ProblemAsync(create, HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        await ApiAssert.ProblemAsync(list, HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(signOut, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var keys = await owner.GetFromJsonAsync<JsonElement>("/api/api-keys", Ct);
        Assert.Equal(1, keys.GetProperty("total").GetInt64());
        Assert.Equal(["read", "upload", "predict"], keys.GetProperty("items")[0].GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task A_read_only_key_cannot_upload_and_a_manage_key_asked_for_explicitly_can_manage()
    {
        var owner = await portal.CreateUserClientAsync();
        var reader = SecurityTestSteps.WithApiKey(portal, await SecurityTestSteps.CreateApiKeyAsync(owner, "read"));
        var manager = SecurityTestSteps.WithApiKey(portal, await SecurityTestSteps.CreateApiKeyAsync(owner, "read", "manage"));

        await ApiAssert.ProblemAsync(await reader.PostAsJsonAsync("/api/datasets", new { name = "x" }, Ct), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/api/api-keys", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_scope_is_a_400()
    {
        var owner = await portal.CreateUserClientAsync();

        using var create = await owner.PostAsJsonAsync("/api/api-keys", new { name = "x", scopes = new[] { "root" } }, Ct);

        Assert.NotEmpty(ApiAssert.Errors(await ApiAssert.ProblemAsync(create, HttpStatusCode.BadRequest), "scopes"));
    }
}
