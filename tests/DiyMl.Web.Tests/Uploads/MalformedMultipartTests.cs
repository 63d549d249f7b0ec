using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace DiyMl.Web.Tests.Uploads;

/// <summary>
/// One set of rules for every route that takes files: every malformed multipart body is a 400
/// ProblemDetails (a content type that is not multipart at all is a 415), never a 500, and none
/// of them leaves a blob behind.
/// </summary>
public sealed class MalformedMultipartTests(UploadPortal portal) : IClassFixture<UploadPortal>
{
    private const string Png = "\u0089PNG\r\n\u001a\n0000";

    public static TheoryData<string> Cases => new(Malformed.Keys);

    private static readonly Dictionary<string, Func<HttpContent>> Malformed = new()
    {
        ["no boundary match"] = () => Raw("multipart/form-data; boundary=expected", "--other\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n\r\n" + Png + "\r\n--other--\r\n"),
        ["empty body"] = () => Raw("multipart/form-data; boundary=b", ""),
        ["truncated part"] = () => Raw("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n\r\n" + Png),
        ["truncated headers"] = () => Raw("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-da"),
        ["200-character boundary"] = () => Raw("multipart/form-data; boundary=" + new string('x', 200),
            "--" + new string('x', 200) + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n\r\n" + Png + "\r\n--" + new string('x', 200) + "--\r\n"),
        ["no boundary parameter"] = () => Raw("multipart/form-data", "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n\r\n" + Png + "\r\n--b--\r\n"),
        ["part without content-disposition"] = () => Raw("multipart/form-data; boundary=b", "--b\r\nContent-Type: image/png\r\n\r\n" + Png + "\r\n--b--\r\n"),
        ["header line far too long"] = () => Raw("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + new string('a', 40_000) + ".png\"\r\n\r\n" + Png + "\r\n--b--\r\n"),
        ["missing files field"] = () => Raw("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\ncats\r\n--b--\r\n"),
        ["closing boundary only"] = () => Raw("multipart/form-data; boundary=b", "--b--\r\n"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_file_route_answers_a_malformed_body_with_a_400_problem(string malformed)
    {
        var before = portal.Blobs();
        foreach (var route in portal.FileRoutes)
        {
            using var response = await portal.Owner.Client.PostAsync(route, Malformed[malformed]());
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, route, malformed);
        }

        Assert.Equal(before, portal.Blobs());
    }

    [Fact]
    public async Task Every_file_route_answers_a_body_that_is_not_multipart_with_a_415_problem()
    {
        foreach (var route in portal.FileRoutes.Where(r => !r.EndsWith("/tests", StringComparison.Ordinal)))
        {
            using var response = await portal.Owner.Client.PostAsync(route, Raw("text/plain", "files=a.png"));
            await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, route, "text/plain");
        }

        // /tests also takes JSON {datasetId}; anything else is still a 415.
        using var tests = await portal.Owner.Client.PostAsync(portal.FileRoutes[^1], Raw("text/plain", "files=a.png"));
        await AssertProblemAsync(tests, HttpStatusCode.UnsupportedMediaType, portal.FileRoutes[^1], "text/plain");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string route, string malformed)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{route} with {malformed}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()));
    }

    private static ByteArrayContent Raw(string contentType, string body)
    {
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}
