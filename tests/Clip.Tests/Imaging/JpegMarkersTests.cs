using ClipSearch.Clip.Imaging;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Clip.Tests.Imaging;

/// <summary>
/// The marker walk that decides whether libjpeg-turbo's decode of a JPEG is trusted: whole files of every kind pass,
/// damaged structure that libjpeg-turbo would pass over silently does not (those files go to ImageSharp, which judges them).
/// </summary>
public sealed class JpegMarkersTests
{
    private static byte[] Jpeg(string name) => File.ReadAllBytes(TestPaths.Data("reference", "jpeg-decode", "images", name));

    public static TheoryData<string> Whole() => [.. Directory.GetFiles(TestPaths.Data("reference", "jpeg-decode", "images")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Whole))]
    public void AreSound_WholeFile_True(string name) => Assert.True(JpegMarkers.AreSound(Jpeg(name)));

    [Fact]
    public void AreSound_CutShortInsideTheScan_TrueForTheDecoderToReport()
    {
        var data = Jpeg("q90-420.jpg");
        Assert.True(JpegMarkers.AreSound(data.AsSpan(0, (Find(data, 0xDA) + data.Length) / 2)));
    }

    [Fact]
    public void AreSound_SegmentRunningPastTheEnd_False()
    {
        var data = Jpeg("q90-420.jpg");
        Assert.False(JpegMarkers.AreSound(data.AsSpan(0, Find(data, 0xC4) + 40)));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xDD, 0x00, 0x04, 0x00, 0x08 }, true)]
    [InlineData(new byte[] { 0xFF, 0xDD, 0x00, 0x05, 0x00, 0x08, 0x00 }, false)]
    public void AreSound_RestartIntervalSegment_SoundOnlyAtItsFixedLength(byte[] segment, bool sound)
    {
        var data = Jpeg("q90-420.jpg");
        var at = Find(data, 0xDA);
        Assert.Equal(sound, JpegMarkers.AreSound([.. data[..at], .. segment, .. data[at..]]));
    }

    [Theory]
    [InlineData(0xC3)] // lossless
    [InlineData(0xC5)] // hierarchical
    public void AreSound_FrameKindPillowDoesNotDecode_False(byte marker)
    {
        var data = Jpeg("q90-420.jpg");
        data[Find(data, 0xC0) + 1] = marker;
        Assert.False(JpegMarkers.AreSound(data));
    }

    [Theory]
    [InlineData("q90-420.jpg", 0xC0, false)]                // a frame header inside the only scan
    [InlineData("q90-420.jpg", 0xDD, false)]                // any marker but a restart inside the only scan
    [InlineData("q85-420-progressive.jpg", 0xC2, false)]    // a second frame header between scans
    [InlineData("q85-420-progressive.jpg", 0xFE, true)]     // a comment between scans of a progressive image is allowed
    public void AreSound_MarkerInsideTheScanData(string name, byte marker, bool sound)
    {
        var data = Jpeg(name);
        var at = (Find(data, 0xDA) + data.Length) / 2;
        while (data[at - 1] == 0xFF || data[at] == 0xFF)
        {
            at++;
        }

        byte[] segment = [0xFF, marker, 0x00, 0x04, 0x00, 0x00];
        var damaged = data[..at].Concat(segment).Concat(data[at..]).ToArray();
        Assert.Equal(sound, JpegMarkers.AreSound(damaged));
    }

    /// <summary>A progressive file of endless empty scans would keep libjpeg-turbo (which cannot be stopped) busy: past the cap it goes to ImageSharp.</summary>
    [Theory]
    [InlineData(10, true)]
    [InlineData(JpegMarkers.MaxScans, false)]
    public void AreSound_ExtraEmptyScans_SoundUpToTheCap(int extra, bool sound)
    {
        var data = Jpeg("q85-420-progressive.jpg");
        byte[] scan = [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00];
        var end = data.Length - 2; // the end marker
        var damaged = data[..end].Concat(Enumerable.Repeat(scan, extra).SelectMany(b => b)).Concat(data[end..]).ToArray();
        Assert.Equal(sound, JpegMarkers.AreSound(damaged));
    }

    [Fact]
    public void AreSound_NotAJpeg_False()
    {
        Assert.False(JpegMarkers.AreSound([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A]));
        Assert.False(JpegMarkers.AreSound([0xFF, 0xD8, 0xFF, 0xD9]));
    }

    /// <summary>The offset of the first marker 0xFF <paramref name="marker"/>.</summary>
    private static int Find(byte[] data, byte marker)
    {
        for (var i = 2; i + 1 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] == marker)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"no marker {marker:X2}");
    }
}
