using System.Text;
using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Imaging.Isolation;
using ClipSearch.Core.Index;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Iptc;
using SixLabors.ImageSharp.Metadata.Profiles.Xmp;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Tests.Imaging;

/// <summary>Camera, title, description and keywords read from EXIF, IPTC and XMP; every file is built here with ImageSharp.</summary>
public sealed class ImageTextReaderTests
{
    private const string Xmp = """
        <?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/">
          <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Sunset over Lisboa</rdf:li><rdf:li xml:lang="pt">Pôr do sol</rdf:li></rdf:Alt></dc:title>
              <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Tram 28 near Alfama</rdf:li></rdf:Alt></dc:description>
              <dc:subject><rdf:Bag><rdf:li>Portugal</rdf:li><rdf:li>street art</rdf:li></rdf:Bag></dc:subject>
            </rdf:Description>
          </rdf:RDF>
        </x:xmpmeta>
        <?xpacket end="w"?>
        """;

    private static readonly ImageDecodeOptions Full = new() { Timeout = TimeSpan.FromSeconds(10) };

    // The path that decodes photos at a reduced scale, where the metadata comes from the identify pass.
    private static readonly ImageDecodeOptions Scaled = new() { Timeout = TimeSpan.FromSeconds(10), JpegDecodeSize = 8 };

    public static TheoryData<bool> BothDecodePaths() => [false, true];

    [Theory]
    [MemberData(nameof(BothDecodePaths))]
    public void Decode_JpegWithExifIptcAndXmp_XmpFirstThenIptcThenExif(bool scaled)
    {
        var jpeg = Jpeg(Exif(), Iptc(), new XmpProfile(Encoding.UTF8.GetBytes(Xmp)));

        var text = Decode(jpeg, scaled);

        Assert.Equal("Canon", text?.Make);
        Assert.Equal("EOS 5D Mark IV", text?.Model);
        Assert.Equal("Sunset over Lisboa", text?.Title);
        Assert.Equal("Tram 28 near Alfama", text?.Description);
        Assert.Equal(["Portugal", "street art", "harbour", "Lisbon", "azulejo", "travel", "Holiday snaps"], text?.Keywords);
    }

    [Fact]
    public void Decode_JpegWithoutXmp_IptcThenExif()
    {
        var text = Decode(Jpeg(Exif(), Iptc(), null), scaled: false);

        Assert.Equal("IPTC object name", text?.Title);
        Assert.Equal("IPTC caption", text?.Description);

        var exifOnly = Decode(Jpeg(Exif(), null, null), scaled: false);
        Assert.Equal("XP title", exifOnly?.Title);
        Assert.Equal("EXIF description", exifOnly?.Description);
        Assert.Equal(["azulejo", "travel", "Holiday snaps"], exifOnly?.Keywords);
    }

    [Fact]
    public void Decode_JpegWithoutMetadata_NoText()
    {
        Assert.Null(Decode(Jpeg(null, null, null), scaled: false));
    }

    [Theory]
    [InlineData("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><broken")]
    [InlineData("<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><x>&b;</x>")]
    [InlineData("not xml at all \u0001\u0002")]
    public void Decode_MalformedOrHostileXmp_ImageDecodedWithTheOtherProfilesText(string xmp)
    {
        var result = new SafeImageDecoder(Full).Decode(Jpeg(Exif(), null, new XmpProfile(Encoding.UTF8.GetBytes(xmp))));

        Assert.True(result.Succeeded, result.Failure?.ToString());
        using var image = result.Image;
        Assert.Equal("Canon", image.Text?.Make);
        Assert.Equal("XP title", image.Text?.Title);
    }

    [Fact]
    public void Decode_ControlCharactersAndHugeFields_StrippedAndBounded()
    {
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Make, "Nikon\u0001\u0002 Corp\0\0");
        exif.SetValue(ExifTag.ImageDescription, new string('x', 20_000));

        var text = Decode(Jpeg(exif, null, null), scaled: false);

        Assert.Equal("Nikon Corp", text?.Make);
        Assert.Equal(ImageText.MaxDescription, text?.Description?.Length);
    }

    [Fact]
    public async Task WorkerResponse_WithText_CrossesTheWorkerProtocolWhole()
    {
        var text = new ImageText { Make = "Canon", Title = "Lisboa", Keywords = ["tram", "street art"] };
        var response = new WorkerResponse(true, null, null, "jpeg", 64, 48, false, null, 1, 2, text);

        Assert.Equal(text, (await RoundTrip(response))?.Text);
        Assert.Null((await RoundTrip(response with { Text = null }))?.Text);
    }

    private static async Task<WorkerResponse?> RoundTrip(WorkerResponse response)
    {
        using var pipe = new MemoryStream();
        await WorkerProtocol.WriteAsync(pipe, response, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        pipe.Position = 0;
        return (await WorkerProtocol.ReadAsync<WorkerResponse>(pipe, 0, CancellationToken.None))?.Header;
    }

    private static ImageText? Decode(byte[] jpeg, bool scaled)
    {
        var result = new SafeImageDecoder(scaled ? Scaled : Full).Decode(jpeg);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        using var image = result.Image;
        return image.Text;
    }

    private static ExifProfile Exif()
    {
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Make, "Canon");
        exif.SetValue(ExifTag.Model, "EOS 5D Mark IV");
        exif.SetValue(ExifTag.ImageDescription, "EXIF description");
        exif.SetValue(ExifTag.XPTitle, "XP title");
        exif.SetValue(ExifTag.XPKeywords, "azulejo;travel");
        exif.SetValue(ExifTag.XPSubject, "Holiday snaps");
        return exif;
    }

    private static IptcProfile Iptc()
    {
        var iptc = new IptcProfile();
        iptc.SetValue(IptcTag.Name, "IPTC object name");
        iptc.SetValue(IptcTag.Caption, "IPTC caption");
        iptc.SetValue(IptcTag.Keywords, "harbour", strict: false);
        iptc.SetValue(IptcTag.Keywords, "Lisbon", strict: false);
        iptc.SetValue(IptcTag.Keywords, "portugal", strict: false); // the same keyword as XMP's, in other case: kept once
        return iptc;
    }

    private static byte[] Jpeg(ExifProfile? exif, IptcProfile? iptc, XmpProfile? xmp)
    {
        using var image = new Image<Rgb24>(64, 48, new Rgb24(90, 140, 200));
        image.Metadata.ExifProfile = exif;
        image.Metadata.IptcProfile = iptc;
        image.Metadata.XmpProfile = xmp;
        using var buffer = new MemoryStream();
        image.SaveAsJpeg(buffer, new JpegEncoder { Quality = 90 });
        return buffer.ToArray();
    }
}
