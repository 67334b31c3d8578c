using ClipSearch.Clip.Models;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Models;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Engine.Tests.Models;

public sealed class ModelResolverTests : IDisposable
{
    private readonly string _models = Path.Combine(Path.GetTempPath(), "clipsearch-models-" + Guid.NewGuid().ToString("N"));

    private ModelSettings Settings(string? model, string? variant = null) => new() { Model = model, Variant = variant, ModelsFolder = _models };

    [Fact]
    public void Resolve_NoModel_IsTheBundledModel()
    {
        var location = ModelResolver.Resolve(Settings(null), SettingNames.Configuration);
        Assert.Equal(BundledModel.Folder, location.Folder);
        Assert.Equal("bundled", location.Source);
        Assert.True(File.Exists(Path.Combine(location.Folder, "onnx", "vision_model.onnx")), "the bundled model is copied beside the engine");
    }

    [Fact]
    public void Resolve_AFolder_IsThatFolderWithTheVariant()
    {
        var location = ModelResolver.Resolve(Settings(TestPaths.TinyClip, "quantized"), SettingNames.Configuration);
        Assert.Equal(Path.GetFullPath(TestPaths.TinyClip), location.Folder);
        Assert.Equal("quantized", location.Variant);
        Assert.Equal("folder", location.Source);
    }

    [Theory]
    [InlineData("full")]
    [InlineData("FULL")]
    [InlineData("")]
    [InlineData(null)]
    public void Resolve_FullOrNoVariant_MeansTheDefaultFiles(string? variant) =>
        Assert.Null(ModelResolver.Resolve(Settings(TestPaths.TinyClip, variant), SettingNames.Configuration).Variant);

    [Fact]
    public void Resolve_APulledName_IsItsFolderInTheModelsFolder()
    {
        var pulled = Path.Combine(_models, "openai--clip-vit-base-patch32");
        Directory.CreateDirectory(pulled);
        foreach (var name in new[] { "openai/clip-vit-base-patch32", "Xenova/clip-vit-base-patch32", "OpenAI/CLIP-ViT-Base-Patch32" })
        {
            var location = ModelResolver.Resolve(Settings(name), SettingNames.Configuration);
            Assert.Equal(pulled, location.Folder);
            Assert.Equal("pulled", location.Source);
        }
    }

    [Fact]
    public void Resolve_AKnownNameNotPulled_SaysToPullIt()
    {
        var e = Assert.Throws<ClipModelException>(() => ModelResolver.Resolve(Settings("openai/clip-vit-base-patch16", "quantized"), SettingNames.Configuration));
        Assert.Contains("ClipSearch:Model: openai/clip-vit-base-patch16 has not been pulled", e.Message, StringComparison.Ordinal);
        Assert.Contains("clipsearch models pull openai/clip-vit-base-patch16 --variant quantized", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NeitherAFolderNorAKnownName_NamesTheSettingAndTheFolder()
    {
        var e = Assert.Throws<ClipModelException>(() => ModelResolver.Resolve(Settings("/nonexistent/model"), new SettingNames("--model", "--variant", "--store", "--qdrant")));
        Assert.StartsWith("--model: the folder /nonexistent/model does not exist", e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_models))
        {
            Directory.Delete(_models, recursive: true);
        }
    }
}
