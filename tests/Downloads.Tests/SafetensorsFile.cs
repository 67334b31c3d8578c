using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace ClipSearch.Downloads.Tests;

/// <summary>Builds .safetensors files as the format specifies: 8-byte little-endian header length, JSON header, tensor bytes.</summary>
internal static class SafetensorsFile
{
    public sealed record Entry(string Name, string Dtype, long[] Shape, byte[] Data);

    public static Entry F32(string name, float value, params long[] shape)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        return new Entry(name, "F32", shape, bytes);
    }

    /// <summary>bfloat16: the upper half of the float's bits (exact for values with 8 significant bits).</summary>
    public static Entry Bf16(string name, float value, params long[] shape)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(BitConverter.SingleToInt32Bits(value) >> 16));
        return new Entry(name, "BF16", shape, bytes);
    }

    /// <summary>A large tensor standing for the weights a Range reader must not download.</summary>
    public static Entry Filler(string name, int floats) => new(name, "F32", [floats], new byte[floats * 4]);

    public static byte[] Build(params Entry[] entries)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        long offset = 0;
        foreach (var e in entries)
        {
            header[e.Name] = new { dtype = e.Dtype, shape = e.Shape, data_offsets = new[] { offset, offset + e.Data.Length } };
            offset += e.Data.Length;
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var file = new byte[8 + json.Length + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        var at = 8 + json.Length;
        foreach (var e in entries)
        {
            e.Data.CopyTo(file, at);
            at += e.Data.Length;
        }

        return file;
    }
}
