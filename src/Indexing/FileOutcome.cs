namespace ClipSearch.Indexing;

/// <summary>What became of a file the run read.</summary>
internal enum FileOutcome
{
    /// <summary>New: a point was added.</summary>
    Indexed,

    /// <summary>Changed content: its point was embedded again.</summary>
    Updated,

    /// <summary>Content that was indexed under another path or root: its embedding and labels moved with it.</summary>
    Moved,

    /// <summary>Same content, new time: the point keeps its embedding and records the time.</summary>
    Touched,

    Skipped,

    /// <summary>Not an image.</summary>
    Ignored,

    /// <summary>Gone by the time it was read.</summary>
    Vanished,
}
