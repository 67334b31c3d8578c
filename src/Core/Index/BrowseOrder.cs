namespace ClipSearch.Core.Index;

/// <summary>How <see cref="IBrowsableCollection.BrowseAsync"/> orders a collection. Points that tie come in ascending id order (<see cref="Guid.CompareTo(Guid)"/>).</summary>
public enum BrowseOrder
{
    /// <summary>File modification time, newest first.</summary>
    Modified,

    /// <summary>
    /// Date taken (EXIF), newest first; images without a date taken come after all dated ones, newest modified first:
    /// "newest first" for a photo library, where the date taken is the one people mean.
    /// </summary>
    Taken,

    /// <summary>Absolute path (root, then path below it), ordinal A to Z: folders stay together.</summary>
    Name,
}
