using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Web.Tests.Infrastructure;

namespace DiyMl.Web.Tests.Accounts;

/// <summary>Each test owns a fresh portal, because "the first account is Admin" depends on order.</summary>
public sealed class AdminApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task First_account_is_admin_and_later_ones_are_users()
    {
        await using var portal = new PortalFactory();
        var admin = await portal.CreateUserClientAsync();
        var user = await portal.CreateUserClientAsync();

        using var forbidden = await user.GetAsync("/api/admin/users", Ct);
        await ApiAssert.ProblemAsync(forbidden, HttpStatusCode.Forbidden);

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/admin/users", Ct);
        Assert.Equal(2, list.GetProperty("total").GetInt64());
        var roles = list.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("roles")[0].GetString()).ToList();
        Assert.Equal(["Admin", "User"], roles);
    }

    [Fact]
    public async Task Locking_a_user_stops_their_token_and_api_key_and_unlocking_lets_them_back()
    {
        await using var portal = new PortalFactory();
        var admin = await portal.CreateUserClientAsync();
        var email = PortalFactory.NewEmail();
        var user = await portal.CreateUserClientAsync(email);
        using var create = await user.PostAsJsonAsync("/api/api-keys", new { name = "script" }, Ct);
        var key = (await create.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
        var script = portal.CreateClient();
        script.DefaultRequestHeaders.Add("X-Api-Key", key);
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/admin/users", Ct);
        var userId = list.GetProperty("items").EnumerateArray().Single(u => u.GetProperty("email").GetString() == email).GetProperty("id").GetString();

        using var locked = await admin.PostAsync($"/api/admin/users/{userId}/lock", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, locked.StatusCode);

        await ApiAssert.ProblemAsync(await user.GetAsync("/api/api-keys", Ct), HttpStatusCode.Unauthorized);
        await ApiAssert.ProblemAsync(await script.GetAsync("/api/api-keys", Ct), HttpStatusCode.Unauthorized);
        using var login = await portal.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = PortalFactory.Password }, Ct);
        await ApiAssert.ProblemAsync(login, HttpStatusCode.Unauthorized);

        using var unlocked = await admin.PostAsync($"/api/admin/users/{userId}/unlock", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, unlocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/datasets", Ct)).StatusCode);
        await PortalFactory.LoginAsync(portal.CreateClient(), email);
    }

    [Fact]
    public async Task Admin_cannot_lock_themselves_out()
    {
        await using var portal = new PortalFactory();
        var admin = await portal.CreateUserClientAsync();
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/admin/users", Ct);
        var adminId = list.GetProperty("items")[0].GetProperty("id").GetString();

        using var response = await admin.PostAsync($"/api/admin/users/{adminId}/lock", null, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Locking_an_unknown_user_is_a_404()
    {
        await using var portal = new PortalFactory();
        var admin = await portal.CreateUserClientAsync();

        using var response = await admin.PostAsync("/api/admin/users/0123456789abcdef01234567/lock", null, Ct);

        await ApiAssert.ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
