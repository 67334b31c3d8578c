using ClipSearch.Clip.Models.Download;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Downloads.Tests;

/// <summary>Publishes catalogue entries on a <see cref="FakeHub"/>: stand-ins under each repository's published file names.</summary>
internal static class CatalogueHub
{
    public static IReadOnlyDictionary<string, Publisher> Publishers { get; } = new Dictionary<string, Publisher>(StringComparer.Ordinal)
    {
        ["openai/clip-vit-base-patch32"] = Publisher.XenovaClip,
        ["openai/clip-vit-base-patch16"] = Publisher.XenovaClip,
        ["Qdrant/clip-ViT-B-32"] = Publisher.FastEmbed,
        ["google/siglip-base-patch16-224"] = Publisher.XenovaSigLip,
        ["google/siglip2-base-patch16-224"] = Publisher.OnnxCommunitySigLip2,
        ["Xenova/mobileclip_s2"] = Publisher.XenovaMobileClip,
        ["immich-app/ViT-B-32__openai"] = Publisher.ImmichClip,
        ["immich-app/XLM-Roberta-Large-Vit-B-32"] = Publisher.ImmichMClip,
        ["immich-app/ViT-B-16-SigLIP2__webli"] = Publisher.ImmichSigLip2,
    };

    /// <summary>Serves the entry's full variant and its scoring checkpoint; returns what was served, by local path, and the scale and bias.</summary>
    public static (Dictionary<string, byte[]> Files, float Scale, float Bias) Publish(FakeHub hub, CatalogueModel model)
    {
        var publisher = Publishers[model.Name];
        var served = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in model.Variants[ModelCatalogue.Full])
        {
            var content = PublishedStandIns.For(publisher, file.LocalPath);
            Assert.True(content is not null || file.Optional, $"{file.Repository}/{file.RemotePath} is required but has no stand-in");
            if (content is not null)
            {
                hub.Add(file.Repository, file.RemotePath, content);
                served[file.LocalPath] = content;
            }
        }

        var (scale, bias) = (4.75f, -16.5f); // exact in bfloat16 too
        if (model.Scoring is { } checkpoint)
        {
            // transformers' SiglipModel saves both as float32 [1]; open_clip (timm/*) as 0-d parameters.
            var openClip = checkpoint.Path.StartsWith("open_clip", StringComparison.Ordinal);
            hub.Add(checkpoint.Repository, checkpoint.Path, SafetensorsFile.Build(
                SafetensorsFile.Filler("text.token_embedding.weight", 64 * 1024),
                openClip ? SafetensorsFile.Bf16(checkpoint.ScaleTensor, scale) : SafetensorsFile.F32(checkpoint.ScaleTensor, scale, 1),
                openClip ? SafetensorsFile.Bf16(checkpoint.BiasTensor, bias) : SafetensorsFile.F32(checkpoint.BiasTensor, bias, 1)));
        }

        return (served, scale, bias);
    }
}
