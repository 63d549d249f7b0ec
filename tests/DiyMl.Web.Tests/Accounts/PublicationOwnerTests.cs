using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DiyMl.Web.Tests.ModelUse;

namespace DiyMl.Web.Tests.Accounts;

/// <summary>Publication names are unique per owner, not per portal, and the shared list says whose each one is.</summary>
public sealed class PublicationOwnerTests(UsePortal portal) : IClassFixture<UsePortal>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_people_publish_under_one_name_and_the_shared_list_tells_them_apart_by_owner()
    {
        var alice = await portal.CreateTrainedUserAsync(seed: 31);
        var bob = await portal.CreateTrainedUserAsync(seed: 32);

        using var byAlice = await alice.Client.PostAsJsonAsync($"/api/models/{alice.Model.Id}/publish", new { name = "Flowers" }, Ct);
        using var byBob = await bob.Client.PostAsJsonAsync($"/api/models/{bob.Model.Id}/publish", new { name = "Flowers" }, Ct);
        var list = await alice.Client.GetFromJsonAsync<JsonElement>("/api/published-models", Ct);

        Assert.Equal(HttpStatusCode.OK, byAlice.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byBob.StatusCode);
        var flowers = list.GetProperty("items").EnumerateArray().Where(p => p.GetProperty("name").GetString() == "Flowers").ToList();
        var owners = flowers.Select(p => p.GetProperty("ownerName").GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { alice.Email.Split('@')[0], bob.Email.Split('@')[0] }.Order(StringComparer.Ordinal), owners);
        Assert.DoesNotContain("@", list.GetRawText()); // the shared list never shows anyone's address
    }
}
