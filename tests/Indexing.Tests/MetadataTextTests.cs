using ClipSearch.Clip;
using ClipSearch.Clip.Imaging;
using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded;
using ClipSearch.Tests.Shared;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Iptc;

namespace ClipSearch.Indexing.Tests;

/// <summary>The text a photo carries (camera, title, caption, keywords) indexed with it and found by keyword search.</summary>
public sealed class MetadataTextTests : IDisposable
{
    private readonly TestImageFolder _folder = new();
    private readonly ClipModel _model = ClipModel.Load(TestPaths.TinyClip, new() { Device = Clip.Inference.ExecutionDevice.Cpu });

    [Fact]
    public async Task Run_JpegWithCameraCaptionAndKeywords_StoredAndFoundByKeyword()
    {
        using (var image = TestImageFolder.Picture(7, 64, 48))
        {
            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Make, "FUJIFILM\0");
            image.Metadata.ExifProfile.SetValue(ExifTag.Model, "X-T30");
            image.Metadata.IptcProfile = new IptcProfile();
            image.Metadata.IptcProfile.SetValue(IptcTag.Caption, "Azulejos on a church wall");
            image.Metadata.IptcProfile.SetValue(IptcTag.Keywords, "Porto", strict: false);
            image.Metadata.IptcProfile.SetValue(IptcTag.Keywords, "tiles", strict: false);
            image.Save(_folder.PathOf("DSCF0001.JPG"), new JpegEncoder { Quality = 90 });
        }

        _folder.WriteImage("plain.jpg", 8);

        using var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = _folder.Store });
        using var state = IndexerState.Open(_folder.Store);
        var collection = await store.CreateCollectionAsync(CollectionNames.Default, _model.ModelId, _model.Dimension);
        using var preparer = new InProcessImagePreparer(new ImageDecodeOptions(), _model.Preprocessor);
        var encoder = new ClipImageEncoder(_model, preparer, new ImageDecodeOptions());
        await new CollectionIndexer(collection, encoder, state).RunAsync([_folder.Images]);

        var points = new Dictionary<string, StoredPoint>(StringComparer.Ordinal);
        await foreach (var batch in collection.ScrollAsync(null, 100, withVectors: false))
        {
            foreach (var p in batch)
            {
                points.Add(p.Payload.Path, p);
            }
        }

        var id = points["DSCF0001.JPG"].Id;
        Assert.Equal(
            new ImageText { Make = "FUJIFILM", Model = "X-T30", Description = "Azulejos on a church wall", Keywords = ["Porto", "tiles"] },
            points["DSCF0001.JPG"].Payload.Text);
        Assert.Null(points["plain.jpg"].Payload.Text);

        var keywords = (IKeywordSearchable)collection;
        Assert.Equal([new KeywordHit(id, 3)], await keywords.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("fujifilm azulejo porto"))));
        Assert.Equal([new KeywordHit(id, 1)], await keywords.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("tiles"))));
    }

    public void Dispose()
    {
        _model.Dispose();
        _folder.Dispose();
    }
}
