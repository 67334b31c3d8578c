using System.Security.Cryptography;
using System.Text;

namespace ClipSearch.Core.Index;

/// <summary>
/// Deterministic point ids: a name-based UUID (RFC 9562 version 5, SHA-1) of the image's root and relative
/// path, so re-indexing the same file always addresses the same point. Qdrant accepts only UUIDs or integers.
/// </summary>
public static class PointIds
{
    // A fixed namespace UUID for ClipSearch image points.
    private static readonly Guid Namespace = new("5d0c6c3e-6f8e-4b8a-9a57-1c2b0e6f4a11");

    public static Guid ForImage(string root, string relativePath) => NameBased(root + "\n" + relativePath);

    public static Guid NameBased(string name)
    {
        var ns = Namespace.ToByteArray(bigEndian: true);
        var bytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[ns.Length + bytes.Length];
        ns.CopyTo(input, 0);
        bytes.CopyTo(input, ns.Length);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version 5 UUIDs; this is naming, not security.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
