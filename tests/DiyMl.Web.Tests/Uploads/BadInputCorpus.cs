using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using DiyMl.Web.Tests.Datasets;

namespace DiyMl.Web.Tests.Uploads;

/// <summary>Files nobody should be able to store: bombs, scripts, polyglots, broken pictures, oversized archives.</summary>
internal static class BadInputCorpus
{
    public static IReadOnlyDictionary<string, Func<byte[]>> Files { get; } = new Dictionary<string, Func<byte[]>>
    {
        // 5 entries of 19 MiB zeros plus 9,996 empty ones: about 1 MB that unpacks to 95 MB in 10,001 entries.
        ["bomb.zip"] = () => Zip(Enumerable.Range(0, 5).Select(i => ($"zeros/{i}.png", new byte[19 * 1024 * 1024]))
            .Concat(Enumerable.Range(0, 9_996).Select(i => ($"empty/{i}.png", Array.Empty<byte>())))),
        // 10,001 distinct tiny entries: one more than an upload may hold.
        ["many.zip"] = () => Zip(Enumerable.Range(0, 10_001).Select(i => ($"many/{i}.png", BitConverter.GetBytes(i)))),
        ["bomb.png"] = () => PngClaiming(100_000, 100_000),
        ["script.svg"] = () => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script></svg>"),
        ["polyglot.gif"] = () => Encoding.ASCII.GetBytes("GIF89a/*<html><body><script>alert(1)</script></body></html>*/"),
        ["page.html"] = () => Encoding.UTF8.GetBytes("<!doctype html><html><script>fetch('/api/api-keys')</script></html>"),
        ["truncated.png"] = () => ApiImages.Noise(80)[..3000],
        ["empty.jpg"] = () => [],
        ["not-an-image.png"] = () => Encoding.UTF8.GetBytes("hello, I am text"),
        ["nested.zip"] = () => Zip([("inner/inner.zip", Zip([("a/b.png", ApiImages.Png())]))]),
        ["scripts.zip"] = () => Zip([("cats/script.svg", Encoding.UTF8.GetBytes("<svg><script>alert(1)</script></svg>")), ("cats/../../escape.png", ApiImages.Png(seed: 99))]),
    };

    public static byte[] Zip(IEnumerable<(string Name, byte[] Content)> entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }

    /// <summary>A valid PNG header claiming a huge picture over a tiny body: decoding it would need gigabytes.</summary>
    private static byte[] PngClaiming(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        Chunk(output, "IHDR", header);
        Chunk(output, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(MemoryStream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        output.Write(crc);
    }

    // PNG's CRC-32 (ISO 3309), bit by bit: a few bytes per file, speed does not matter.
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
