using ClipSearch.Core.Embeddings;

namespace ClipSearch.Core.Tests.Embeddings;

public sealed class ModelCompatibilityTests
{
    private sealed class FakeEncoder(string modelId, int dimension, params string[] spaces) : IEncoder
    {
        public string ModelId => modelId;

        public int Dimension => dimension;

        public string? SharedSpace => spaces.Length > 0 ? spaces[0] : null;

        public IReadOnlyList<string> SharedSpaces => spaces;
    }

    [Fact]
    public void CanQuery_SameIdOnly_WithoutSharedSpaces()
    {
        var encoder = new FakeEncoder("openai/clip-vit-base-patch32", 512);
        Assert.True(ModelCompatibility.CanQuery("openai/clip-vit-base-patch32", 512, encoder));
        Assert.False(ModelCompatibility.CanQuery("openai/clip-vit-base-patch32:quantized", 512, encoder));
        Assert.False(ModelCompatibility.CanQuery("immich-app/ViT-B-32__openai", 512, encoder));
    }

    [Fact]
    public void CanQuery_EveryIdOfTheSharedSpace_AnyVariant()
    {
        // A multilingual tower trained against OpenAI's ViT-B/32, published under three names by three packagers.
        var encoder = new FakeEncoder("immich-app/XLM-Roberta-Large-Vit-B-32", 512,
            "openai/clip-vit-base-patch32", "immich-app/ViT-B-32__openai", "Qdrant/clip-ViT-B-32");

        Assert.True(ModelCompatibility.CanQuery("openai/clip-vit-base-patch32:quantized", 512, encoder));
        Assert.True(ModelCompatibility.CanQuery("immich-app/ViT-B-32__openai", 512, encoder));
        Assert.True(ModelCompatibility.CanQuery("Qdrant/clip-ViT-B-32", 512, encoder));
        Assert.False(ModelCompatibility.CanQuery("openai/clip-vit-base-patch16", 512, encoder));
        Assert.False(ModelCompatibility.CanQuery("immich-app/ViT-B-32__openai", 768, encoder));
    }

    [Fact]
    public void CanQuery_EncoderWithOnlyTheSingleSpace_UsesItThroughTheDefault()
    {
        IEncoder encoder = new SingleSpaceEncoder();
        Assert.Equal(["clipsearch/tiny-clip-shapes"], encoder.SharedSpaces);
        Assert.True(ModelCompatibility.CanQuery("clipsearch/tiny-clip-shapes:quantized", 96, encoder));
    }

    private sealed class SingleSpaceEncoder : IEncoder
    {
        public string ModelId => "clipsearch/tiny-clip-multilingual";

        public int Dimension => 96;

        public string? SharedSpace => "clipsearch/tiny-clip-shapes";
    }
}
