namespace ClipSearch.Core;

/// <summary>Why a file was not indexed. Every file is either indexed or skipped with one of these.</summary>
public enum SkipReason
{
    /// <summary>
    /// A supported format whose data is damaged (truncated, bad markers, impossible values, decoder error), including
    /// a file named as a supported format whose content starts like no format at all (empty, text, a Git LFS pointer).
    /// </summary>
    Corrupt,

    /// <summary>A format the decoder does not read (HEIC, AVIF, RAW, JPEG XL, ...), a feature of a supported one it lacks, or not an image.</summary>
    UnsupportedFormat,

    /// <summary>More pixels or bytes than the configured budget.</summary>
    TooLarge,

    /// <summary>Decoding took longer than the configured time limit and was stopped.</summary>
    TimedOut,

    /// <summary>The file could not be read (permissions, I/O error, vanished).</summary>
    Unreadable,
}
