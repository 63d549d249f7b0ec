using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http;

namespace DiyMl.Web.Tests.Accounts;

public sealed class AuthSchemesTests
{
    [Theory]
    [InlineData("/api/datasets", "X-Api-Key", "dml_x", AuthSchemes.ApiKey)]
    [InlineData("/api/datasets", "Authorization", "Bearer abc", AuthSchemes.Bearer)]
    [InlineData("/api/datasets", "Authorization", "Basic abc", "Identity.Application")]
    [InlineData("/datasets", null, null, "Identity.Application")]
    public void Each_request_is_authenticated_by_what_it_carries(string path, string? header, string? value, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        if (header is not null)
        {
            context.Request.Headers[header] = value;
        }

        Assert.Equal(expected, AuthSchemes.Select(context));
    }

    [Theory]
    [InlineData("/hubs/jobs", "?access_token=abc", AuthSchemes.Bearer)]
    [InlineData("/api/jobs", "?access_token=abc", "Identity.Application")]
    public void Query_string_tokens_count_only_for_signalr_hubs(string path, string query, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);

        Assert.Equal(expected, AuthSchemes.Select(context));
    }
}
