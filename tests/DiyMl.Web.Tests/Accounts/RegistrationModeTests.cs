using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Web.Tests.Infrastructure;

namespace DiyMl.Web.Tests.Accounts;

/// <summary>An administrator decides who may register: anyone, holders of an invite link, or nobody.</summary>
public sealed class RegistrationModeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> RegisterAsync(PortalFactory portal, string? invite = null) =>
        portal.CreateClient().PostAsJsonAsync("/api/auth/register", new { email = PortalFactory.NewEmail(), password = PortalFactory.Password, inviteCode = invite }, Ct);

    [Fact]
    public async Task Closed_registration_refuses_newcomers_with_403_and_reopening_lets_them_in()
    {
        await using var portal = new PortalFactory();
        var admin = await portal.CreateUserClientAsync();

        (await admin.PutAsJsonAsync("/api/admin/registration", new { mode = "closed" }, Ct)).EnsureSuccessStatusCode();
        using var refused = await RegisterAsync(portal);
        (await admin.PutAsJsonAsync("/api/admin/registration", new { mode = "open" }, Ct)).EnsureSuccessStatusCode();
        using var allowed = await RegisterAsync(portal);

        Assert.Contains("closed", (await ApiAssert.ProblemAsync(refused, HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
    }

    [Fact]
    public async Task Invite_only_registration_admits_one_person_per_invite()
    {
        await using var portal = new PortalFactory();
        var admin = await portal.CreateUserClientAsync();
        (await admin.PutAsJsonAsync("/api/admin/registration", new { mode = "invite" }, Ct)).EnsureSuccessStatusCode();
        using var created = await admin.PostAsync("/api/admin/invites", null, Ct);
        var invite = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var code = invite.GetProperty("code").GetString();

        using var without = await RegisterAsync(portal);
        using var with = await RegisterAsync(portal, code);
        using var again = await RegisterAsync(portal, code);

        await ApiAssert.ProblemAsync(without, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Created, with.StatusCode);
        await ApiAssert.ProblemAsync(again, HttpStatusCode.Forbidden);
        Assert.Contains("/account/register?invite=", invite.GetProperty("url").GetString());
        Assert.Equal("invite", (await admin.GetFromJsonAsync<JsonElement>("/api/admin/registration", Ct)).GetProperty("mode").GetString());
    }

    [Fact]
    public async Task A_weak_password_does_not_use_up_the_invite()
    {
        await using var portal = new PortalFactory();
        var admin = await portal.CreateUserClientAsync();
        (await admin.PutAsJsonAsync("/api/admin/registration", new { mode = "invite" }, Ct)).EnsureSuccessStatusCode();
        var code = (await (await admin.PostAsync("/api/admin/invites", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString();

        using var weak = await portal.CreateClient().PostAsJsonAsync("/api/auth/register", new { email = PortalFactory.NewEmail(), password = "weakweak", inviteCode = code }, Ct);
        using var good = await RegisterAsync(portal, code);

        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_changes_the_mode()
    {
        await using var portal = new PortalFactory();
        await portal.CreateUserClientAsync();
        var user = await portal.CreateUserClientAsync();

        await ApiAssert.ProblemAsync(await user.PutAsJsonAsync("/api/admin/registration", new { mode = "closed" }, Ct), HttpStatusCode.Forbidden);
    }
}
