using ClipSearch.Clip.Models;
using ClipSearch.Clip.Tokenization;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Clip.Tests.Models;

public sealed class ClipModelFolderTests
{
    [Fact]
    public void Open_BundledModel_FindsHuggingFaceLayout()
    {
        var folder = ClipModelFolder.Open(TestPaths.TinyClip);
        Assert.Equal(ModelLayout.HuggingFace, folder.Layout);
        Assert.Equal("clipsearch/tiny-clip-shapes", folder.ModelId);
        Assert.EndsWith(Path.Combine("onnx", "vision_model.onnx"), folder.VisionModelPath, StringComparison.Ordinal);
        Assert.EndsWith(Path.Combine("onnx", "text_model.onnx"), folder.TextModelPath, StringComparison.Ordinal);
        Assert.Equal([null], folder.AvailableVariants);
        Assert.Equal(224, folder.Preprocessing.CropSize);
        Assert.Equal(77, folder.TextContextLength);
        Assert.InRange(folder.LogitScale, 1f, 100f);
    }

    [Fact]
    public void Open_MissingFolder_NamesIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<ClipModelException>(() => ClipModelFolder.Open(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FolderWithoutModel_ExplainsBothLayouts()
    {
        using var temp = new TempModelFolder();
        temp.Write("readme.txt", "not a model");
        var e = Assert.Throws<ClipModelException>(() => ClipModelFolder.Open(temp.Root));
        Assert.Contains("onnx/vision_model.onnx", e.Message, StringComparison.Ordinal);
        Assert.Contains("fastembed", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("onnx/text_model.onnx")]
    [InlineData("onnx/vision_model.onnx")]
    public void Open_MissingFile_NamesTheFile(string file)
    {
        using var temp = TempModelFolder.CopyOfTinyClip();
        temp.Delete(file);
        var e = Assert.Throws<ClipModelException>(() => ClipModelFolder.Open(temp.Root));
        Assert.Equal(Path.Combine(temp.Root, file), e.Path);
        Assert.Contains(Path.GetFileName(file), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vocab.json")]
    [InlineData("merges.txt")]
    public void Open_WithoutTheBpePair_ReadsTokenizerJson_AndWithoutEitherSaysWhatIsNeeded(string file)
    {
        using var temp = TempModelFolder.CopyOfTinyClip();
        temp.Delete(file);
        var folder = ClipModelFolder.Open(temp.Root);
        Assert.Equal(TokenizerKind.HuggingFace, folder.Tokenizer.Kind);
        Assert.Equal(Path.Combine(temp.Root, "tokenizer.json"), folder.Tokenizer.Path);
        Assert.Equal(TextCleaning.Clip, folder.Tokenizer.Cleaning);

        temp.Delete("tokenizer.json");
        var e = Assert.Throws<ClipModelException>(() => ClipModelFolder.Open(temp.Root));
        Assert.Equal(temp.Root, e.Path);
        Assert.Contains("vocab.json + merges.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("spiece.model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NoPreprocessorConfig_UsesClipDefaults()
    {
        using var temp = TempModelFolder.CopyOfTinyClip();
        temp.Delete("preprocessor_config.json");
        var folder = ClipModelFolder.Open(temp.Root);
        Assert.Null(folder.PreprocessorConfigPath);
        Assert.Equal(PreprocessorConfig.ClipDefault, folder.Preprocessing);
    }

    [Fact]
    public void Open_OldStylePreprocessorConfig_ReadsIntegerSizes()
    {
        using var temp = TempModelFolder.CopyOfTinyClip();
        temp.Write("preprocessor_config.json", """{"crop_size": 200, "size": 256, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.25, 0.25, 0.25]}""");
        var p = ClipModelFolder.Open(temp.Root).Preprocessing;
        Assert.Equal((256, 200), (p.ResizeShortestEdge, p.CropSize));
        Assert.Equal([0.5f, 0.5f, 0.5f], p.Mean);
        Assert.Equal([0.25f, 0.25f, 0.25f], p.Std);
    }

    [Fact]
    public void Open_MalformedConfig_NamesTheFile()
    {
        using var temp = TempModelFolder.CopyOfTinyClip();
        temp.Write("config.json", "{ not json");
        var e = Assert.Throws<ClipModelException>(() => ClipModelFolder.Open(temp.Root));
        Assert.Contains("config.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NoLogitScaleInConfig_Uses100()
    {
        using var temp = TempModelFolder.CopyOfTinyClip();
        temp.Write("config.json", """{"logit_scale_init_value": 2.6592}""");
        Assert.Equal(100f, ClipModelFolder.Open(temp.Root).LogitScale);
    }

    [Fact]
    public void Open_QuantizedVariant_SelectsVariantFiles()
    {
        using var temp = TempModelFolder.CopyOfTinyClip();
        temp.Copy(Path.Combine(temp.Root, "onnx", "vision_model.onnx"), "onnx/vision_model_quantized.onnx");
        temp.Copy(Path.Combine(temp.Root, "onnx", "text_model.onnx"), "onnx/text_model_quantized.onnx");
        var folder = ClipModelFolder.Open(temp.Root, "quantized");
        Assert.EndsWith("vision_model_quantized.onnx", folder.VisionModelPath, StringComparison.Ordinal);
        Assert.EndsWith("text_model_quantized.onnx", folder.TextModelPath, StringComparison.Ordinal);
        Assert.Equal("clipsearch/tiny-clip-shapes:quantized", folder.ModelId);
        Assert.Equal([null, "quantized"], folder.AvailableVariants);
        Assert.EndsWith("vision_model.onnx", ClipModelFolder.Open(temp.Root).VisionModelPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnknownVariant_ListsThoseAvailable()
    {
        var e = Assert.Throws<ClipModelException>(() => ClipModelFolder.Open(TestPaths.TinyClip, "fp16"));
        Assert.Contains("vision_model_fp16.onnx", e.Message, StringComparison.Ordinal);
        Assert.Contains("variants present: (default)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FastEmbedLayout_FindsBothTowersAndTokenizer()
    {
        using var temp = TempModelFolder.FastEmbed("text_int32_mask_d8.onnx", "vision_d8.onnx");
        var folder = ClipModelFolder.Open(temp.Root);
        Assert.Equal(ModelLayout.FastEmbed, folder.Layout);
        Assert.Equal(Path.Combine(temp.Root, "clip-ViT-B-32-text", "model.onnx"), folder.TextModelPath);
        Assert.Equal(Path.Combine(temp.Root, "clip-ViT-B-32-vision", "model.onnx"), folder.VisionModelPath);
        Assert.Equal(Path.Combine(temp.Root, "clip-ViT-B-32-text", "vocab.json"), folder.VocabPath);
        Assert.NotNull(folder.PreprocessorConfigPath);
    }
}
