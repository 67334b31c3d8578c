namespace ClipSearch.Clip.Imaging;

/// <summary>
/// A read-only view of an in-memory file that throws <see cref="TimeoutException"/> once a deadline has
/// passed or the token is cancelled. ImageSharp's decoders ignore cancellation while they work, but
/// they keep reading their input: failing the next read is what really stops a runaway decode.
/// </summary>
internal sealed class DeadlineStream(byte[] data, long deadlineTicks, CancellationToken cancellationToken) : MemoryStream(data, writable: false)
{
    public override int Read(byte[] buffer, int offset, int count)
    {
        Check();
        return base.Read(buffer, offset, count);
    }

    public override int Read(Span<byte> buffer)
    {
        Check();
        return base.Read(buffer);
    }

    public override int ReadByte()
    {
        Check();
        return base.ReadByte();
    }

    public override long Seek(long offset, SeekOrigin loc)
    {
        Check();
        // A file stream may be positioned past its end (reads then return nothing); a MemoryStream throws past
        // 2 GiB instead ("Stream length must be non-negative..."), which a damaged offset in a header reaches.
        var target = loc switch { SeekOrigin.Current => Position + offset, SeekOrigin.End => Length + offset, _ => offset };
        return target > Length ? base.Seek(Length, SeekOrigin.Begin) : base.Seek(offset, loc);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Check();
        return base.ReadAsync(buffer, offset, count, cancellationToken);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Check();
        return base.ReadAsync(buffer, cancellationToken);
    }

    private void Check()
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Environment.TickCount64 > deadlineTicks)
        {
            throw new TimeoutException("the decode passed its time limit");
        }
    }
}
