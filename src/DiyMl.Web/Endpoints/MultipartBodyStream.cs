namespace DiyMl.Web.Endpoints;

/// <summary>
/// A file part's body as handed to domain code: reading it fails with the 400 of a malformed
/// body (a truncated part, a missing end boundary), so that failure is never mistaken for a fault
/// of the server, while the domain's own I/O errors (disk, blob store) still surface as what they are.
/// </summary>
internal sealed class MultipartBodyStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return inner.Read(buffer, offset, count);
        }
        catch (BadHttpRequestException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw MultipartUpload.Malformed(e.Message, e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        await MultipartUpload.GuardAsync(async () => await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
