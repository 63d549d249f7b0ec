using System.Net.Http.Headers;

namespace DiyMl.Web.Tests.ModelUse;

internal static class MultipartBuilder
{
    public static MultipartFormDataContent Files(params (string Name, byte[] Bytes)[] files)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "files", name);
        }

        return content;
    }
}
