using System.Buffers.Binary;
using System.Text.Json;

namespace ClipSearch.Clip.Models.Download;

/// <summary>
/// The header of a <c>.safetensors</c> file: an 8-byte little-endian length, then that many bytes of JSON naming each
/// tensor's dtype, shape and <c>data_offsets</c> (begin, end) relative to the end of the header. Enough to read a few
/// tensors of a multi-gigabyte checkpoint with Range requests instead of downloading it.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>Headers larger than this are refused (real ones are a few hundred kilobytes).</summary>
    public const long MaxHeaderBytes = 100L << 20;

    private readonly Dictionary<string, Tensor> _tensors;

    private SafetensorsHeader(long dataStart, Dictionary<string, Tensor> tensors)
    {
        DataStart = dataStart;
        _tensors = tensors;
    }

    /// <summary>One tensor's entry: its element type, shape and absolute byte range in the file (end exclusive).</summary>
    public sealed record Tensor(string Dtype, IReadOnlyList<long> Shape, long Begin, long End);

    /// <summary>Where the tensor data starts in the file: 8 + the header length.</summary>
    public long DataStart { get; }

    /// <summary>The header length the first 8 bytes of a file announce.</summary>
    /// <exception cref="FormatException">Fewer than 8 bytes, or a length that is zero or above <see cref="MaxHeaderBytes"/>.</exception>
    public static long ReadLength(ReadOnlySpan<byte> first8)
    {
        if (first8.Length < 8)
        {
            throw new FormatException($"a safetensors file starts with an 8-byte header length; got {first8.Length} bytes");
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(first8);
        return length is 0 or > MaxHeaderBytes
            ? throw new FormatException($"a safetensors header length between 1 and {MaxHeaderBytes} bytes; the file announces {length}")
            : (long)length;
    }

    /// <summary>Parses the JSON header (the bytes after the 8-byte length).</summary>
    /// <exception cref="FormatException">Not a safetensors header: not JSON, or an entry without dtype, shape or valid data_offsets.</exception>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json)
    {
        var dataStart = 8L + json.Length;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    continue;
                }

                var e = entry.Value;
                var offsets = e.GetProperty("data_offsets");
                var begin = offsets[0].GetInt64();
                var end = offsets[1].GetInt64();
                if (begin < 0 || end < begin)
                {
                    throw new FormatException($"tensor {entry.Name}: data_offsets [{begin}, {end}] are not a range");
                }

                var shape = e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToList();
                tensors[entry.Name] = new Tensor(e.GetProperty("dtype").GetString() ?? "", shape, dataStart + begin, dataStart + end);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new FormatException($"a safetensors JSON header ({e.Message})", e);
        }

        return new SafetensorsHeader(dataStart, tensors);
    }

    /// <summary>The tensor named <paramref name="name"/>, or null.</summary>
    public Tensor? Find(string name) => _tensors.GetValueOrDefault(name);

    /// <summary>
    /// The one value of a scalar tensor (shape [] or [1]) stored as F32, F16, BF16 or F64: the only conversions are
    /// exact widenings, or F64 narrowed to float.
    /// </summary>
    /// <exception cref="FormatException">Not a single element, an unsupported dtype, bytes of the wrong length, or not finite.</exception>
    public static float ScalarValue(Tensor tensor, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Shape.Aggregate(1L, (a, b) => a * b) != 1)
        {
            throw new FormatException($"a scalar (shape [] or [1]); found shape [{string.Join(", ", tensor.Shape)}]");
        }

        int size = tensor.Dtype switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            "F64" => 8,
            _ => throw new FormatException($"a floating-point tensor (F32, F16, BF16 or F64); found {tensor.Dtype}"),
        };
        if (bytes.Length != size || tensor.End - tensor.Begin != size)
        {
            throw new FormatException($"{size} bytes of {tensor.Dtype}; the file holds {tensor.End - tensor.Begin} and {bytes.Length} were read");
        }

        float value = tensor.Dtype switch
        {
            "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes),
            "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes),
            "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16),
            _ => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        };
        return float.IsFinite(value) ? value : throw new FormatException($"a finite value; found {value}");
    }
}
