using System.IO.Compression;
using System.Net.Http.Headers;

namespace DiyMl.Web.Tests.ModelUse;

/// <summary>Zips built in memory from (entry path, bytes) pairs, and the one-file multipart form that sends them.</summary>
internal static class LabelledZip
{
    public static byte[] Of(params (string Path, byte[] Bytes)[] entries)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, bytes) in entries)
            {
                using var entry = archive.CreateEntry(path).Open();
                entry.Write(bytes);
            }
        }

        return zip.ToArray();
    }

    /// <summary>Generated shape pictures in class folders: each folder gets its count of pictures of its shape.</summary>
    public static (string Path, byte[] Bytes)[] Shapes(int seed, params (string Folder, string Shape, int Count)[] classes) =>
        [.. classes.SelectMany((c, k) => Enumerable.Range(0, c.Count).Select(i => ($"{c.Folder}/{c.Folder}-{i}.png", ShapeImages.Png(c.Shape, seed + (k * 100) + i))))];

    public static MultipartFormDataContent Form(string fileName, byte[] bytes, string field = "file")
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        content.Add(part, field, fileName);
        return content;
    }
}
