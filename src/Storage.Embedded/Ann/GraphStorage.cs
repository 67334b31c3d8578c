namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>Element type of the vectors inside the HNSW graph (USearch's scalar kinds).</summary>
public enum GraphStorage
{
    /// <summary>32-bit floats: the graph holds a second full copy of the vectors.</summary>
    Full,

    /// <summary>16-bit floats: half the memory of <see cref="Full"/>.</summary>
    Half,

    /// <summary>8-bit integers: a quarter of the memory; candidates are re-scored with the f32 vectors.</summary>
    Quarter,
}
