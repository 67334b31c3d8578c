namespace ClipSearch.Clip.Models.Download;

/// <summary>One file of a downloadable model: where it is on the hub and where it goes in the model folder.</summary>
/// <param name="Repository">Hub repository, e.g. Xenova/clip-vit-base-patch32.</param>
/// <param name="RemotePath">Path in the repository.</param>
/// <param name="LocalPath">Path in the model folder ('/' separators).</param>
public sealed record ModelFile(string Repository, string RemotePath, string LocalPath)
{
    /// <summary>Files ClipSearch does not read (the tokenizer.json family): a repository without them is fine.</summary>
    public bool Optional => System.IO.Path.GetFileName(RemotePath) is "tokenizer.json" or "tokenizer_config.json" or "special_tokens_map.json";
}
