using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Inference;
using ClipSearch.Clip.Models;
using ClipSearch.Clip.Tokenization;
using ClipSearch.Core;
using ClipSearch.Tests.Shared;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Clip.Tests.Models;

/// <summary>
/// One folder per published family and layout, with its files named exactly as the publisher names them (towers: the
/// tiny models' ONNX graphs; configurations as the publisher's exporter writes them): the folder reader finds the
/// family, tokenizer, image transform and scoring its files say, and the model loads and embeds.
/// </summary>
public sealed class PublishedLayoutTests
{
    private static readonly ClipEngineOptions Cpu = new() { Device = ExecutionDevice.Cpu };

    private static readonly string[] TransformersJsTowers = ["onnx/vision_model.onnx", "onnx/text_model.onnx"];

    private static float[] EmbedImage(ClipModel model)
    {
        var result = new SafeImageDecoder(new ImageDecodeOptions()).DecodeFile(Path.Combine(TestPaths.Data("tiny-clip-heldout"), "blue-circle-000.jpg"));
        Assert.True(result.Succeeded, result.Failure?.ToString());
        using var image = result.Image;
        return model.EncodePixelTensors([model.Preprocessor.Preprocess(image)])[0];
    }

    private static void AssertUnit(float[] v, int dimension)
    {
        Assert.Equal(dimension, v.Length);
        Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4);
    }

    [Fact]
    public void Load_XenovaSigLip_SentencePieceSquashSixtyFourTokensAndTheRecordedSigmoid()
    {
        using var folder = PublishedStandIns.Folder(Publisher.XenovaSigLip, ["config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "spiece.model", .. TransformersJsTowers]);
        var opened = ClipModelFolder.Open(folder.Root);
        Assert.Equal((ModelLayout.HuggingFace, ModelFamily.SigLip), (opened.Layout, opened.Family));
        Assert.Equal("google/siglip-base-patch16-224", opened.ModelId);
        Assert.Equal((TokenizerKind.SentencePiece, 64), (opened.Tokenizer.Kind, opened.TextContextLength));
        Assert.Equal((ResizeMode.Squash, Resample.Bilinear, 224, 224), (opened.Preprocessing.Mode, opened.Preprocessing.Resample, opened.Preprocessing.ResizeShortestEdge, opened.Preprocessing.CropSize));
        Assert.Equal([0.5f, 0.5f, 0.5f], opened.Preprocessing.Mean);
        Assert.False(opened.Scoring.HasProbabilities); // the split towers lack the trained scale and bias
        Assert.Contains("models pull", opened.Scoring.Missing, StringComparison.Ordinal);

        ModelManifest.Write(folder.Root, ModelManifest.Empty with { LogitScale = 4.7622f, LogitBias = -12.9324f, ScoringSource = "test" });
        using var model = ClipModel.Load(folder.Root, Cpu);
        Assert.True(model.Scoring.IsSigmoid && model.Scoring.HasProbabilities);
        Assert.Equal(MathF.Exp(4.7622f), model.Scoring.LogitScale, 3);
        Assert.Equal(-12.9324f, model.Scoring.LogitBias);
        var row = model.Tokenizer.Tokenize("A photo of a red star.");
        Assert.Equal(64, row.Ids.Length);
        AssertUnit(model.Encode(["a photo of a red star."])[0], 96);
        AssertUnit(EmbedImage(model), 96);
    }

    [Fact]
    public void Load_OnnxCommunitySigLip2_TokenizerJsonOnlyClosedByEosAndPadded()
    {
        using var folder = PublishedStandIns.Folder(Publisher.OnnxCommunitySigLip2, ["config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json", .. TransformersJsTowers]);
        using var model = ClipModel.Load(folder.Root, Cpu);
        Assert.Equal(ModelFamily.SigLip, model.Family);
        Assert.Equal((TokenizerKind.HuggingFace, TextCleaning.Canonicalize, 64), (model.Folder.Tokenizer.Kind, model.Folder.Tokenizer.Cleaning, model.ContextLength));
        var row = model.Tokenizer.Tokenize("Une étoile jaune!");
        var eos = row.Ids[row.Length - 1];
        Assert.Equal(64, row.Ids.Length);
        Assert.All(row.Ids[row.Length..], id => Assert.Equal(eos, id)); // SigLIP pads with the closing token here (pad_token </s>)
        Assert.Equal(ResizeMode.Squash, model.Folder.Preprocessing.Mode);
        AssertUnit(model.Encode(["une étoile jaune"])[0], 96);
        AssertUnit(EmbedImage(model), 96);
    }

    [Fact]
    public void Load_XenovaMobileClip_UnnormalisedBilinear256AndClipBpeFromTokenizerJson()
    {
        using var folder = PublishedStandIns.Folder(Publisher.XenovaMobileClip, ["config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json", .. TransformersJsTowers]);
        using var model = ClipModel.Load(folder.Root, Cpu);
        var p = model.Folder.Preprocessing;
        Assert.Equal((ModelFamily.Clip, false, Resample.Bilinear, 256, 256), (model.Family, p.Normalize, p.Resample, p.ResizeShortestEdge, p.CropSize));
        Assert.Equal((TokenizerKind.HuggingFace, TextCleaning.Clip, 77), (model.Folder.Tokenizer.Kind, model.Folder.Tokenizer.Cleaning, model.ContextLength));

        // The tokenizer.json holds CLIP's BPE: the same ids as vocab.json + merges.txt give (padding follows tokenizer_config's pad token;
        // the causal tower reads nothing after the closing token).
        using var reference = ClipModel.Load(TestPaths.TinyClip, Cpu);
        foreach (var text in new[] { "A photo of a RED star.", "two   blue squares &amp; a circle" })
        {
            var (expected, actual) = (reference.Tokenizer.Tokenize(text), model.Tokenizer.Tokenize(text));
            Assert.Equal(expected.Ids[..expected.Length], actual.Ids[..actual.Length]);
            Assert.True(VectorMath.Cosine(reference.Encode([text])[0], model.Encode([text])[0]) >= 0.9999f, text);
        }

        using var red = new Image<Rgba32>(300, 280, new Rgba32(255, 0, 0));
        var pixels = new float[3 * 256 * 256];
        model.Preprocessor.Preprocess(red, hasAlpha: false, pixels);
        Assert.Equal((1f, 0f), (pixels[0], pixels[256 * 256])); // red 255 scaled to 1, green 0: not normalised
        AssertUnit(EmbedImage(model), 96);
    }

    [Fact]
    public void Load_ImmichOpenClipClip_EmbedsAsTheSameWeightsInTheHuggingFaceLayout()
    {
        using var folder = PublishedStandIns.Folder(Publisher.ImmichClip, ["config.json", "visual/model.onnx", "visual/preprocess_cfg.json", "textual/model.onnx",
            "textual/tokenizer.json", "textual/tokenizer_config.json"]);
        using var model = ClipModel.Load(folder.Root, Cpu);
        Assert.Equal((ModelLayout.OpenClip, ModelFamily.Clip, 77), (model.Folder.Layout, model.Family, model.ContextLength));
        Assert.Equal((ResizeMode.ShortestEdge, Resample.Bicubic), (model.Folder.Preprocessing.Mode, model.Folder.Preprocessing.Resample));
        Assert.True(model.HasImageTower);

        using var reference = ClipModel.Load(TestPaths.TinyClip, Cpu);
        var texts = new[] { "a photo of a green triangle.", "Purple STAR" };
        var (a, b) = (model.Encode(texts), reference.Encode(texts));
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.True(VectorMath.Cosine(a[i], b[i]) >= 0.9999f, texts[i]);
        }

        Assert.True(VectorMath.Cosine(EmbedImage(model), EmbedImage(reference)) >= 0.9999f);
    }

    [Fact]
    public void Load_ImmichTensorNames_TextImageEmbeddingOneRowPerRunMatchClosedForm()
    {
        // immich exports with input "text" (int32) / "image", output "embedding", and no dynamic axes: a batch of one.
        using var folder = PublishedStandIns.Folder(Publisher.ImmichClip, ["config.json", "visual/preprocess_cfg.json", "textual/tokenizer.json", "textual/tokenizer_config.json"]);
        folder.Copy(TempModelFolder.Fixture("immich_textual_d8.onnx"), "textual/model.onnx");
        folder.Copy(TempModelFolder.Fixture("immich_visual_d8.onnx"), "visual/model.onnx");
        using var model = ClipModel.Load(folder.Root, Cpu);
        Assert.Equal(("text", (string?)null, "embedding"), model.TextTensors);
        Assert.Equal(("image", "embedding"), model.VisionTensors);

        string[] texts = ["a red circle", "two blue squares", "a photo of a yellow star."];
        var embeddings = model.Encode(texts);
        for (var t = 0; t < texts.Length; t++)
        {
            var ids = model.Tokenizer.Tokenize(texts[t]).Ids;
            var expected = new float[8];
            for (var j = 0; j < 8; j++)
            {
                for (var i = 0; i < ids.Length; i++)
                {
                    expected[j] += ids[i] * (float)Math.Sin((0.37 * ((i * 8) + j)) + 3.0) / 49407f;
                }
            }

            var norm = MathF.Sqrt(expected.Sum(x => x * x));
            Assert.All(Enumerable.Range(0, 8), j => Assert.Equal(expected[j] / norm, embeddings[t][j], 4));
        }

        AssertUnit(EmbedImage(model), 8);
    }

    [Fact]
    public void Load_ImmichOpenClipSigLip2_FamilyFromInitLogitBiasAndNoInventedScoring()
    {
        using var folder = PublishedStandIns.Folder(Publisher.ImmichSigLip2, ["config.json", "visual/model.onnx", "visual/preprocess_cfg.json", "textual/model.onnx",
            "textual/tokenizer.json", "textual/tokenizer_config.json", "textual/special_tokens_map.json"]);
        using (var model = ClipModel.Load(folder.Root, Cpu))
        {
            Assert.Equal((ModelLayout.OpenClip, ModelFamily.SigLip, 64), (model.Folder.Layout, model.Family, model.ContextLength));
            Assert.Equal((TokenizerKind.HuggingFace, TextCleaning.Canonicalize), (model.Folder.Tokenizer.Kind, model.Folder.Tokenizer.Cleaning));
            Assert.Equal(ResizeMode.Squash, model.Folder.Preprocessing.Mode);
            Assert.Equal([0.5f, 0.5f, 0.5f], model.Folder.Preprocessing.Std);
            // init_logit_bias (-10) is where training started, not the trained value: no probabilities until recorded.
            Assert.False(model.Scoring.HasProbabilities);
            AssertUnit(model.Encode(["a red circle"])[0], 96);
            AssertUnit(EmbedImage(model), 96);
        }

        ModelManifest.Write(folder.Root, ModelManifest.Empty with { LogitScale = 4.75f, LogitBias = -16.5f, ScoringSource = "test" });
        Assert.Equal(-16.5f, ClipModelFolder.Open(folder.Root).Scoring.LogitBias);
    }

    [Fact]
    public void Load_ImmichMClipTextTower_SharesEveryIdOfTheSpaceAndEmbedsAsItsTower()
    {
        string[] files = ["config.json", "textual/model.onnx", "textual/tokenizer.json", "textual/tokenizer_config.json", "textual/special_tokens_map.json",
            "textual/sentencepiece.bpe.model"];
        using var folder = PublishedStandIns.Folder(Publisher.ImmichMClip, files);
        Assert.Contains("\"space\"", Assert.Throws<ClipModelException>(() => ClipModelFolder.Open(folder.Root)).Message, StringComparison.Ordinal);

        string[] space = ["clipsearch/tiny-clip-shapes", "immich-app/ViT-B-32__openai", "Qdrant/clip-ViT-B-32"];
        ModelManifest.Write(folder.Root, ModelManifest.Empty with { Id = "immich-app/XLM-Roberta-Large-Vit-B-32", Spaces = space });
        using var model = ClipModel.Load(folder.Root, Cpu);
        Assert.Equal((ModelLayout.OpenClip, ModelFamily.Clip, false, 77), (model.Folder.Layout, model.Family, model.HasImageTower, model.ContextLength));
        Assert.Equal(TokenizerKind.HuggingFace, model.Folder.Tokenizer.Kind);
        Assert.Equal(space, model.SharedSpaces);
        Assert.Equal("clipsearch/tiny-clip-shapes", model.SharedSpace);
        Assert.Equal("immich-app/XLM-Roberta-Large-Vit-B-32", model.ModelId);
        Assert.Contains(model.TextInputs, t => t.Name == "attention_mask");

        using var reference = ClipModel.Load(Path.Combine(TestPaths.RepoRoot, "models", "tiny-clip-multilingual"), Cpu);
        foreach (var text in new[] { "une étoile jaune", "ein roter Kreis", "红色的圆" })
        {
            Assert.True(VectorMath.Cosine(model.Encode([text])[0], reference.Encode([text])[0]) >= 0.9999f, text);
        }
    }
}
