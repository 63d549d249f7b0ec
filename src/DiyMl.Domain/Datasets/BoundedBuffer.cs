using System.Buffers;

namespace DiyMl.Domain.Datasets;

/// <summary>
/// Reads a stream into a pooled buffer but never more than a limit plus one byte, so a huge or
/// endless input costs at most the limit in memory and is recognised as too large.
/// </summary>
internal sealed class BoundedBuffer : IDisposable
{
    private byte[] _buffer;

    private BoundedBuffer(byte[] buffer, int length, bool overLimit)
    {
        _buffer = buffer;
        Length = length;
        OverLimit = overLimit;
    }

    public int Length { get; }

    /// <summary>True when the stream had more than the limit; the content is then incomplete.</summary>
    public bool OverLimit { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>The pooled array; only the first <see cref="Length"/> bytes are content.</summary>
    public byte[] Array => _buffer;

    public static async Task<BoundedBuffer> ReadAsync(ReadOnlyMemory<byte> prefix, Stream source, long limit, CancellationToken ct)
    {
        var cap = (int)Math.Min(limit + 1, System.Array.MaxLength);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Clamp(Math.Max(prefix.Length, 64 * 1024), 1, cap));
        prefix.CopyTo(buffer);
        var length = prefix.Length;
        try
        {
            while (length < cap)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, cap));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await source.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, cap) - length), ct);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new BoundedBuffer(buffer, Math.Min(length, cap), length > limit);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
