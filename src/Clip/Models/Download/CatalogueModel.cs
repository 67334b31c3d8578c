namespace ClipSearch.Clip.Models.Download;

/// <summary>A real CLIP model users can pull: its files per weight variant, and its layout once downloaded.</summary>
/// <param name="Name">The name users type (<c>clipsearch models pull NAME</c>).</param>
/// <param name="Description">One line for <c>models list</c>.</param>
/// <param name="Dimension">Embedding size.</param>
/// <param name="Variants">Weight variants offered ("full" first) and the files each needs.</param>
public sealed record CatalogueModel(string Name, string Description, int Dimension, IReadOnlyDictionary<string, IReadOnlyList<ModelFile>> Variants)
{
    /// <summary>The folder name under the models folder ('/' becomes "--", as the Hugging Face cache does).</summary>
    public string FolderName => Name.Replace("/", "--", StringComparison.Ordinal);
}
