using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DiyMl.Domain.Common;

/// <summary>
/// Ids are 24 lower-case hex digits laid out like a MongoDB ObjectId (4-byte timestamp + 8 random
/// bytes), so the Mongo engine can store them as real ObjectIds and they sort by creation time.
/// </summary>
public static class Ids
{
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        RandomNumberGenerator.Fill(bytes[4..]);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>True for a well-formed id; anything else can be answered with 404 without a lookup.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: 24 } && id.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));
}
