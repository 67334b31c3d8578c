using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Search;
using ClipSearch.Engine.Stores;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Engine.Tests.Search;

public sealed class CollectionAccessTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "clipsearch-access-" + Guid.NewGuid().ToString("N"));

    private sealed record FakeEncoder(string ModelId, int Dimension) : ITextEncoder
    {
        public ZeroShotScoring Scoring => ZeroShotScoring.ClipDefault;

        public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    private CollectionAccess Access(SettingNames names) =>
        new(StoreFactory.OpenEmbedded(new EmbeddedStoreOptions { Path = _folder }), new EngineHost(typeof(CollectionAccessTests).Assembly, names));

    [Theory]
    [InlineData("openai/clip-vit-base-patch32:quantized", "openai/clip-vit-base-patch32", "set ClipSearch:Variant to quantized")]
    [InlineData("openai/clip-vit-base-patch32", "openai/clip-vit-base-patch32:fp16", "leave ClipSearch:Variant unset")]
    [InlineData("openai/clip-vit-base-patch16", "openai/clip-vit-base-patch32", "set ClipSearch:Model to the model 'openai/clip-vit-base-patch16'")]
    [InlineData("openai/clip-vit-base-patch16:quantized", "openai/clip-vit-base-patch32", "and set ClipSearch:Variant to quantized")]
    public async Task Open_CollectionOfAnotherModel_NamesBothAndTheSettingToChange(string filledBy, string inUse, string advice)
    {
        using var setup = Access(SettingNames.Configuration).Store;
        await setup.Store.CreateCollectionAsync("photos", filledBy, 512);
        var access = Access(SettingNames.Configuration);
        using var store = access.Store;
        var e = await Assert.ThrowsAsync<VectorStoreException>(() => access.OpenAsync("photos", new FakeEncoder(inUse, 512)));
        Assert.Equal(VectorStoreErrorKind.ModelMismatch, e.Kind);
        Assert.Contains($"model '{filledBy}'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"the model in use is '{inUse}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(advice, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenOrCreate_ThenOpen_SameModel_IsTheSameCollection()
    {
        var access = Access(SettingNames.Configuration);
        using var store = access.Store;
        var encoder = new FakeEncoder("m", 3);
        var created = await access.OpenOrCreateAsync("c", encoder);
        await created.UpsertAsync([new VectorPoint(Guid.NewGuid(), [1f, 0f, 0f], new ImagePayload { Root = "/r", Path = "a.jpg" })]);
        var again = await access.OpenOrCreateAsync("c", encoder);
        Assert.Equal(1, await again.CountAsync());
        Assert.Equal(("m", 3), (again.ModelId, again.Dimension));
        var stored = await access.OpenStoredAsync("c");
        Assert.Equal("m", stored.ModelId);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
