using System.Buffers.Binary;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// Reads how many entries a zip declares in its end-of-central-directory record, before
/// <see cref="System.IO.Compression.ZipArchive"/> materialises all of them: a few kilobytes
/// of crafted directory could otherwise claim millions of entries and exhaust memory.
/// </summary>
internal static class ZipDirectory
{
    private const uint EndOfDirectory = 0x06054b50;
    private const uint Zip64Locator = 0x07064b50;
    private const uint Zip64EndOfDirectory = 0x06064b50;

    /// <summary>The declared entry count, or null when the record cannot be found (the archive is then damaged).</summary>
    public static long? DeclaredEntries(Stream zip)
    {
        var tailLength = (int)Math.Min(zip.Length, 22 + 65535);
        var tail = new byte[tailLength];
        zip.Position = zip.Length - tailLength;
        zip.ReadExactly(tail);
        for (var i = tailLength - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) != EndOfDirectory)
            {
                continue;
            }

            var count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 10));
            if (count != ushort.MaxValue || i < 20 || BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i - 20)) != Zip64Locator)
            {
                return count;
            }

            var recordOffset = BinaryPrimitives.ReadInt64LittleEndian(tail.AsSpan(i - 12));
            if (recordOffset < 0 || recordOffset + 56 > zip.Length)
            {
                return null;
            }

            var record = new byte[56];
            zip.Position = recordOffset;
            zip.ReadExactly(record);
            return BinaryPrimitives.ReadUInt32LittleEndian(record) == Zip64EndOfDirectory
                ? (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32)), long.MaxValue)
                : null;
        }

        return null;
    }
}
