using ClipSearch.Core.Index;

namespace ClipSearch.Tests.Storage;

/// <summary>Analytic test points: unit vectors at known angles, so every expected score is known exactly.</summary>
internal static class ConformanceData
{
    public const int Dimension = 8;
    public const string Model = "test-model";

    /// <summary>cos(degrees) e0 + sin(degrees) e[second]: its cosine with <see cref="Axis"/>(0) is cos(degrees).</summary>
    public static float[] AtAngle(double degrees, int second = 1)
    {
        var v = new float[Dimension];
        var r = degrees * Math.PI / 180;
        v[0] = (float)Math.Cos(r);
        v[second] = (float)Math.Sin(r);
        return v;
    }

    public static float[] Axis(int i)
    {
        var v = new float[Dimension];
        v[i] = 1f;
        return v;
    }

    public static ImagePayload Payload(string path, string root = "/photos", string format = "jpeg", int width = 640, int height = 480,
        DateTime? taken = null, DateTimeOffset? modified = null, long size = 1000) => new()
    {
        Path = path,
        Root = root,
        Format = format,
        Width = width,
        Height = height,
        TakenAt = taken,
        ModifiedAt = modified ?? new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero),
        SizeBytes = size,
        ContentHash = "hash-" + path,
    };

    public static VectorPoint Point(string path, float[] vector, ImagePayload? payload = null) =>
        new(PointIds.ForImage("/photos", path), vector, payload ?? Payload(path));

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(64, prefix.Length + 33)];
}
