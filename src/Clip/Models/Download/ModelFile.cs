namespace ClipSearch.Clip.Models.Download;

/// <summary>One file of a downloadable model: where it is on the hub and where it goes in the model folder.</summary>
/// <param name="Repository">Hub repository, e.g. Xenova/clip-vit-base-patch32.</param>
/// <param name="RemotePath">Path in the repository.</param>
/// <param name="LocalPath">Path in the model folder ('/' separators).</param>
public sealed record ModelFile(string Repository, string RemotePath, string LocalPath)
{
    /// <summary>
    /// A file a repository may lack without the model being unusable: by default the tokenizer.json family, which
    /// CLIP BPE folders do not need (a folder whose only tokenizer is tokenizer.json marks it required), and files
    /// whose presence in the published repository could not be checked.
    /// </summary>
    public bool Optional { get; init; } = System.IO.Path.GetFileName(RemotePath) is "tokenizer.json" or "tokenizer_config.json" or "special_tokens_map.json";
}
