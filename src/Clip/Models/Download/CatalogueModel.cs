namespace ClipSearch.Clip.Models.Download;

/// <summary>A real model users can pull: its files per weight variant, what it is, and what the pull records about it.</summary>
/// <param name="Name">The name users type (<c>clipsearch models pull NAME</c>).</param>
/// <param name="Description">One line for <c>models list</c>.</param>
/// <param name="Dimension">Embedding size.</param>
/// <param name="Variants">Weight variants offered ("full" first) and the files each needs.</param>
public sealed record CatalogueModel(string Name, string Description, int Dimension, IReadOnlyDictionary<string, IReadOnlyList<ModelFile>> Variants)
{
    /// <summary>The folder name under the models folder ('/' becomes "--", as the Hugging Face cache does).</summary>
    public string FolderName => Name.Replace("/", "--", StringComparison.Ordinal);

    /// <summary>How its towers were trained to compare (from its published configuration; the folder's files decide at load).</summary>
    public ModelFamily Family { get; init; } = ModelFamily.Clip;

    /// <summary>The text tower's languages: ISO 639-1 codes, or "multilingual" where the publisher gives no list checked here.</summary>
    public IReadOnlyList<string> Languages { get; init; } = ["en"];

    /// <summary>The id its collections record (written to clipsearch-model.json): <see cref="Name"/>.</summary>
    public string Id => Name;

    /// <summary>The other ids of its image space (clipsearch-model.json's <c>space</c>): the model a text tower alone was trained against, other exports of the same weights.</summary>
    public IReadOnlyList<string> Spaces { get; init; } = [];

    /// <summary>Where its sigmoid scale and bias are read when its ONNX towers do not carry them, or null (CLIP models).</summary>
    public ScoringCheckpoint? Scoring { get; init; }

    /// <summary>Approximate download size per variant in bytes, only where a source states it (see <see cref="SizeSource"/>).</summary>
    public IReadOnlyDictionary<string, long> ApproximateSizes { get; init; } = new Dictionary<string, long>();

    /// <summary>Where <see cref="ApproximateSizes"/> come from, or null.</summary>
    public string? SizeSource { get; init; }

    /// <summary>True for a text tower alone, which queries collections of <see cref="Spaces"/> and cannot embed images.</summary>
    public bool IsTextOnly { get; init; }

    /// <summary>What <c>models pull</c> writes to the folder's clipsearch-model.json before any scale and bias are read.</summary>
    public ModelManifest Manifest => new(Id, Spaces, Languages, null, null, null);
}
