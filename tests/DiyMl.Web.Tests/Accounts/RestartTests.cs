using System.Net;
using System.Net.Http.Headers;
using DiyMl.Web.Tests.Infrastructure;

namespace DiyMl.Web.Tests.Accounts;

public sealed class RestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tokens_issued_before_a_restart_still_work_after_it()
    {
        string dataDirectory;
        TokenResponse tokens;
        await using (var before = new PortalFactory { KeepDataDirectory = true })
        {
            dataDirectory = before.DataDirectory;
            var email = PortalFactory.NewEmail();
            await before.CreateUserClientAsync(email);
            tokens = await PortalFactory.LoginAsync(before.CreateClient(), email);
        }

        await using var after = new PortalFactory();
        after.Settings["Storage:DataDirectory"] = dataDirectory;
        var client = after.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);

        using var response = await client.GetAsync("/api/api-keys", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dataDirectory, "keys"), "key-*.xml"));
        Directory.Delete(dataDirectory, recursive: true);
    }
}
