using ClipSearch.Engine.Configuration;
using ClipSearch.Storage.Embedded;
using ClipSearch.Storage.Qdrant;

namespace ClipSearch.Engine.Stores;

/// <summary>
/// Which vector index every front end works on (section <c>ClipSearch:Index</c>): the embedded index in the folder
/// <c>ClipSearch:Index:Embedded:Path</c> (CLI <c>--store</c>, <c>CLIPSEARCH_STORE</c>; default
/// ~/.local/share/clipsearch/index), unless <c>ClipSearch:Index:Qdrant:Url</c> (CLI <c>--qdrant</c>,
/// <c>CLIPSEARCH_QDRANT</c>) names a Qdrant server. The other keys of each section tune that backend.
/// </summary>
public sealed class IndexSettings
{
    public const string SectionName = SettingKeys.IndexSection;

    public EmbeddedStoreOptions Embedded { get; set; } = new() { Path = UserFolders.Data("index") };

    public QdrantStoreOptions Qdrant { get; set; } = new();

    /// <summary>Whether the settings choose Qdrant over the embedded index.</summary>
    public bool UsesQdrant => Qdrant.Url is not null;
}
