namespace ClipSearch.Storage.Embedded.Ann;

/// <summary>
/// An approximate nearest-neighbour graph over integer keys and unit vectors, as a store keeps one: points are added
/// and removed in the background, searches ask for whole answers. Every call is one point or one whole search, never
/// one candidate, so going through the interface costs a single dispatch where a search walks thousands of nodes.
/// <para>
/// Thread safety: adds, removals and searches may run concurrently; <see cref="Reserve"/>, <see cref="Save"/> and
/// <see cref="IDisposable.Dispose"/> exclude adds and removals (and, but for <see cref="Save"/>, searches).
/// </para>
/// </summary>
internal interface IGraphIndex : IDisposable
{
    /// <summary>Live (not removed) keys.</summary>
    int Count { get; }

    /// <summary>Tombstones: nodes of removed or replaced keys still in the graph.</summary>
    int Dead { get; }

    /// <summary>Whether tombstones are numerous enough that the graph should be built afresh.</summary>
    bool TooManyTombstones { get; }

    /// <summary>How many live keys fit before <see cref="Reserve"/> must grow the graph.</summary>
    int Capacity { get; }

    /// <summary>Room for <paramref name="capacity"/> live keys.</summary>
    void Reserve(int capacity);

    /// <summary>Adds a key's vector, or replaces the vector of a key already present.</summary>
    /// <exception cref="InvalidOperationException">The graph is full: <see cref="Reserve"/> first.</exception>
    void Add(ulong key, ReadOnlySpan<float> vector);

    /// <summary>Removes a key; unknown keys are ignored.</summary>
    void Remove(ulong key);

    /// <summary>Removes every key <paramref name="gone"/> accepts; returns how many.</summary>
    int RemoveWhere(Func<ulong, bool> gone);

    /// <summary>
    /// Up to <paramref name="keys"/>.Length keys nearest to <paramref name="query"/>, best first; with a filter, only keys
    /// it accepts. Returns how many were found; -1 once disposed (the caller then searches another way).
    /// <paramref name="scored"/>: the nodes it scored on the bottom level (its cost: a filtered walk scores more,
    /// walking the nodes its filter rejects).
    /// </summary>
    int Search(ReadOnlySpan<float> query, Span<ulong> keys, Func<ulong, bool>? filter, out int scored);

    /// <summary>Writes the graph to <paramref name="stream"/> (left open), in the form <see cref="IGraphFactory.Load"/> reads.</summary>
    void Save(Stream stream);
}
