using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>
/// Framing between the parent and a decode worker over its stdin/stdout: each message is a length-prefixed
/// JSON header followed by a length-prefixed binary payload (image bytes, or a float32 tensor).
/// </summary>
internal static class WorkerProtocol
{
    private const int MaxHeaderBytes = 1 << 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public static async Task WriteAsync<T>(Stream stream, T header, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, json.Length);
        await stream.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(json, cancellationToken).ConfigureAwait(false);
        BinaryPrimitives.WriteInt32LittleEndian(prefix, payload.Length);
        await stream.WriteAsync(prefix, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one message; null at a clean end of stream (the other side closed).</summary>
    public static async Task<(T Header, byte[] Payload)?> ReadAsync<T>(Stream stream, long maxPayloadBytes, CancellationToken cancellationToken)
        where T : class
    {
        var length = await ReadLengthAsync(stream, MaxHeaderBytes, cancellationToken).ConfigureAwait(false);
        if (length is null)
        {
            return null;
        }

        var json = new byte[length.Value];
        await stream.ReadExactlyAsync(json, cancellationToken).ConfigureAwait(false);
        var header = JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidDataException("empty worker message header");
        var payloadLength = await ReadLengthAsync(stream, maxPayloadBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new EndOfStreamException("worker message ended before its payload");
        var payload = new byte[payloadLength];
        await stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        return (header, payload);
    }

    public static byte[] ToBytes(float[] tensor) => MemoryMarshal.AsBytes(tensor.AsSpan()).ToArray();

    public static float[] ToFloats(byte[] payload) => MemoryMarshal.Cast<byte, float>(payload).ToArray();

    private static async Task<int?> ReadLengthAsync(Stream stream, long max, CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        var read = await stream.ReadAtLeastAsync(prefix, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }

        if (read < 4)
        {
            throw new EndOfStreamException("worker message cut inside its length prefix");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        return length < 0 || length > max ? throw new InvalidDataException($"worker message length {length} is out of range") : length;
    }
}
